using System.Buffers.Binary;
using System.Text.Json;
using Azure.Data.Tables;
using CodePairs.Rules;

namespace CodePairs.Storage;

/// <summary>
/// The layout of released rules in the <c>RuleEdits</c> table — one entity per code, rows packed little-endian into
/// binary properties <c>D0</c>, <c>D1</c>, … (each ≤ 64 KiB, cut on row boundaries) with the row count in <c>N</c>:
/// <list type="bullet">
/// <item>PTP (<c>ptp-practitioner</c>, <c>ptp-hospital</c>): PartitionKey <c>{release}_{table}_{first 3 chars}</c>,
/// RowKey = column-1 code; 9-byte rows: column-2 packed code i32, effective u16, deletion u16 (NcciDate days,
/// 0xFFFF = none), meta byte (bits 0-1 indicator 0/1/2=9, bit 2 prior to 1996, bits 3-7 rationale index).</item>
/// <item>AOC (<c>aoc</c>): same keys with the add-on code; 15-byte rows: primary packed code i32 (0 = CCCCC), type byte,
/// add-on deletion u16, primary deletion u16, edit effective u16, edit deletion u16, note index u16 (0xFFFF = none).</item>
/// <item>MUE (<c>mue-*</c>): PartitionKey <c>{release}_{table}</c>, RowKey = first 3 chars of the codes it packs;
/// 10-byte rows: packed code i32, value i32, adjudication byte, rationale index byte.</item>
/// </list>
/// Each table also has a vocabulary entity (PartitionKey <c>{release}_{table}</c>, RowKey <c>~vocab</c>) holding the
/// rationale texts (JSON <c>R</c>), the AOC notes (JSON <c>T</c>) and the table's row count (<c>N</c>).
/// Codes are stored packed, never as rule-set dense ids, so a stored release does not depend on the rule set it came from.
/// </summary>
public static class RuleEditsLayout
{
    public const int PtpRowBytes = 9;
    public const int AddOnRowBytes = 15;
    public const int MueRowBytes = 10;
    public const string VocabularyRowKey = "~vocab";
    public const int FormatVersion = 1;
    private const ushort NoNote = ushort.MaxValue;

    public enum TableKind { Ptp, AddOn, Mue }

    public static TableKind KindOf(string table) => table switch
    {
        "ptp-practitioner" or "ptp-hospital" => TableKind.Ptp,
        TableNames.AddOn => TableKind.AddOn,
        "mue-practitioner" or "mue-hospital" or "mue-dme" => TableKind.Mue,
        _ => throw new ArgumentException($"'{table}' is not a rule table (ptp-practitioner, ptp-hospital, aoc, mue-practitioner, mue-hospital, mue-dme)", nameof(table)),
    };

    /// <summary>Release ids become key prefixes: letters, digits and hyphens only (no '_', which separates key parts).</summary>
    public static void ValidateReleaseId(string releaseId)
    {
        if (string.IsNullOrEmpty(releaseId) || releaseId.Length > 64 || !releaseId.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            throw new ArgumentException($"release id '{releaseId}' must be 1-64 ASCII letters, digits or hyphens", nameof(releaseId));
    }

    public static string CodePartition(string releaseId, string table, HcpcsCode code) => $"{releaseId}_{table}_{Prefix(code)}";
    public static string TablePartition(string releaseId, string table) => $"{releaseId}_{table}";
    public static string Prefix(HcpcsCode code) => code.ToString()[..3];

    // ---- PTP ----

    public static TableEntity PtpEntity(string releaseId, string table, HcpcsCode column1, IReadOnlyList<PtpEdit> rows, Func<string, int> rationaleIndex)
    {
        var data = new byte[rows.Count * PtpRowBytes];
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            var span = data.AsSpan(i * PtpRowBytes, PtpRowBytes);
            BinaryPrimitives.WriteInt32LittleEndian(span, r.Column2.Packed);
            BinaryPrimitives.WriteUInt16LittleEndian(span[4..], NcciDate.ToDay(r.Effective));
            BinaryPrimitives.WriteUInt16LittleEndian(span[6..], NcciDate.ToDay(r.Deletion));
            var rationale = rationaleIndex(r.Rationale);
            if (rationale is < 0 or > 31) throw new InvalidOperationException($"PTP rationale index {rationale} does not fit the meta byte");
            span[8] = (byte)((r.Indicator switch { ModifierIndicator.NotAllowed => 0, ModifierIndicator.Allowed => 1, _ => 2 })
                             | (r.PriorTo1996 ? 4 : 0) | (rationale << 3));
        }
        return CodeEntity(CodePartition(releaseId, table, column1), column1.ToString(), data, PtpRowBytes, rows.Count);
    }

    public static IReadOnlyList<PtpEdit> ReadPtp(TableEntity entity, HcpcsCode column1, IReadOnlyList<string> rationales)
    {
        var data = Concat(entity);
        var rows = new PtpEdit[Rows(entity, data, PtpRowBytes)];
        for (var i = 0; i < rows.Length; i++)
        {
            var span = data.AsSpan(i * PtpRowBytes, PtpRowBytes);
            var meta = span[8];
            rows[i] = new PtpEdit(column1,
                ReleaseExport.CodeFromPacked(BinaryPrimitives.ReadInt32LittleEndian(span)),
                (meta & 4) != 0,
                NcciDate.FromDay(BinaryPrimitives.ReadUInt16LittleEndian(span[4..])),
                NcciDate.FromDayOrOpen(BinaryPrimitives.ReadUInt16LittleEndian(span[6..])),
                (meta & 3) switch { 0 => ModifierIndicator.NotAllowed, 1 => ModifierIndicator.Allowed, _ => ModifierIndicator.NotApplicable },
                Vocabulary(rationales, meta >> 3, entity));
        }
        return rows;
    }

    // ---- AOC ----

    public static TableEntity AddOnEntity(string releaseId, HcpcsCode addOn, IReadOnlyList<AddOnEdit> rows, Func<string, int> noteIndex)
    {
        var data = new byte[rows.Count * AddOnRowBytes];
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            var span = data.AsSpan(i * AddOnRowBytes, AddOnRowBytes);
            BinaryPrimitives.WriteInt32LittleEndian(span, r.Primary.Packed);
            span[4] = (byte)r.Type;
            BinaryPrimitives.WriteUInt16LittleEndian(span[5..], NcciDate.ToDay(r.AddOnDeletion));
            BinaryPrimitives.WriteUInt16LittleEndian(span[7..], NcciDate.ToDay(r.PrimaryDeletion));
            BinaryPrimitives.WriteUInt16LittleEndian(span[9..], NcciDate.ToDay(r.EditEffective));
            BinaryPrimitives.WriteUInt16LittleEndian(span[11..], NcciDate.ToDay(r.EditDeletion));
            BinaryPrimitives.WriteUInt16LittleEndian(span[13..], r.Notes is null ? NoNote : checked((ushort)noteIndex(r.Notes)));
        }
        return CodeEntity(CodePartition(releaseId, TableNames.AddOn, addOn), addOn.ToString(), data, AddOnRowBytes, rows.Count);
    }

    public static IReadOnlyList<AddOnEdit> ReadAddOns(TableEntity entity, HcpcsCode addOn, IReadOnlyList<string> notes)
    {
        var data = Concat(entity);
        var rows = new AddOnEdit[Rows(entity, data, AddOnRowBytes)];
        for (var i = 0; i < rows.Length; i++)
        {
            var span = data.AsSpan(i * AddOnRowBytes, AddOnRowBytes);
            var primary = BinaryPrimitives.ReadInt32LittleEndian(span);
            var note = BinaryPrimitives.ReadUInt16LittleEndian(span[13..]);
            rows[i] = new AddOnEdit(addOn,
                NcciDate.FromDayOrOpen(BinaryPrimitives.ReadUInt16LittleEndian(span[5..])),
                primary == 0 ? default : ReleaseExport.CodeFromPacked(primary),
                NcciDate.FromDayOrOpen(BinaryPrimitives.ReadUInt16LittleEndian(span[7..])),
                (AddOnType)span[4],
                NcciDate.FromDay(BinaryPrimitives.ReadUInt16LittleEndian(span[9..])),
                NcciDate.FromDayOrOpen(BinaryPrimitives.ReadUInt16LittleEndian(span[11..])),
                note == NoNote ? null : Vocabulary(notes, note, entity));
        }
        return rows;
    }

    // ---- MUE ----

    /// <summary>The MUE rows of one code prefix (ascending codes).</summary>
    public static TableEntity MueEntity(string releaseId, string table, string prefix, IReadOnlyList<MueLimit> rows, Func<string, int> rationaleIndex)
    {
        var data = new byte[rows.Count * MueRowBytes];
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            var span = data.AsSpan(i * MueRowBytes, MueRowBytes);
            BinaryPrimitives.WriteInt32LittleEndian(span, r.Code.Packed);
            BinaryPrimitives.WriteInt32LittleEndian(span[4..], r.Value);
            span[8] = (byte)r.Adjudication;
            span[9] = checked((byte)rationaleIndex(r.Rationale));
        }
        return CodeEntity(TablePartition(releaseId, table), prefix, data, MueRowBytes, rows.Count);
    }

    public static MueLimit? ReadMue(TableEntity entity, HcpcsCode code, IReadOnlyList<string> rationales)
    {
        var data = Concat(entity);
        var n = Rows(entity, data, MueRowBytes);
        for (var i = 0; i < n; i++)
        {
            var span = data.AsSpan(i * MueRowBytes, MueRowBytes);
            if (BinaryPrimitives.ReadInt32LittleEndian(span) != code.Packed) continue;
            return new MueLimit(code, BinaryPrimitives.ReadInt32LittleEndian(span[4..]), (MueAdjudication)span[8], Vocabulary(rationales, span[9], entity));
        }
        return null;
    }

    // ---- vocabulary ----

    public static TableEntity VocabularyEntity(string releaseId, string table, IReadOnlyList<string> rationales, IReadOnlyList<string> notes, long rows)
        => new(TablePartition(releaseId, table), VocabularyRowKey)
        {
            ["R"] = JsonSerializer.Serialize(rationales),
            ["T"] = JsonSerializer.Serialize(notes),
            ["N"] = rows,
            ["F"] = FormatVersion,
        };

    public static (IReadOnlyList<string> Rationales, IReadOnlyList<string> Notes) ReadVocabulary(TableEntity entity)
        => (JsonSerializer.Deserialize<string[]>(entity.GetString("R") ?? "[]") ?? [],
            JsonSerializer.Deserialize<string[]>(entity.GetString("T") ?? "[]") ?? []);

    /// <summary>The row count an entity holds (0 for entities that are not row entities).</summary>
    public static long RowCount(TableEntity entity) => entity.RowKey == VocabularyRowKey ? 0 : entity.GetInt32("N") ?? 0;

    private static TableEntity CodeEntity(string partitionKey, string rowKey, byte[] data, int recordBytes, int rows)
    {
        var entity = new TableEntity(partitionKey, rowKey) { ["N"] = rows };
        foreach (var (name, chunk) in TableBatchPlanner.SplitIntoProperties(data, "D", recordBytes))
            entity[name] = chunk;
        return entity;
    }

    private static byte[] Concat(TableEntity entity)
    {
        var parts = new List<byte[]>();
        for (var i = 0; entity.TryGetValue($"D{i}", out var value) && value is not null; i++)
            parts.Add(value switch
            {
                byte[] b => b,
                BinaryData d => d.ToArray(),
                _ => throw new InvalidDataException($"entity ({entity.PartitionKey}, {entity.RowKey}): D{i} is not binary"),
            });
        var data = new byte[parts.Sum(p => p.Length)];
        var offset = 0;
        foreach (var p in parts) { p.CopyTo(data, offset); offset += p.Length; }
        return data;
    }

    private static int Rows(TableEntity entity, byte[] data, int recordBytes)
    {
        var n = entity.GetInt32("N") ?? throw new InvalidDataException($"entity ({entity.PartitionKey}, {entity.RowKey}) has no row count N");
        if (data.Length != n * recordBytes)
            throw new InvalidDataException($"entity ({entity.PartitionKey}, {entity.RowKey}) holds {data.Length} bytes for {n} rows of {recordBytes}");
        return n;
    }

    private static string Vocabulary(IReadOnlyList<string> words, int index, TableEntity entity)
        => index < words.Count ? words[index]
            : throw new InvalidDataException($"entity ({entity.PartitionKey}, {entity.RowKey}) refers to vocabulary entry {index} of {words.Count}");
}
