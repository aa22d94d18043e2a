using System.Buffers.Binary;
using System.IO.Hashing;

namespace CodePairs.Rules.Snapshots;

/// <summary>A snapshot could not be loaded: not a snapshot, another format version, too large, truncated, or corrupt.</summary>
public sealed class SnapshotException(string message) : Exception(message);

/// <summary>
/// The compact binary form of a rule set — what blob storage keeps for fast cold starts (one snapshot per table version,
/// and one per rule set state) and what <c>rules import</c> writes. Layout (little-endian): magic <c>CPRULES\0</c> ·
/// u32 format version · u64 payload length · u64 XxHash64 of the payload · payload. The payload holds the code list the
/// index ids refer to, then each table version: table, version, effective date, row count, sources, content hash and
/// the kind's index section, as raw arrays, so loading is a hash check and a few block copies.
/// </summary>
public static class RuleSnapshot
{
    public const uint FormatVersion = 2;
    /// <summary>The largest snapshot read (a full-scale state of several versions per table is a few hundred MiB).</summary>
    public const long MaxBytes = 1L << 30;
    private static ReadOnlySpan<byte> Magic => "CPRULES\0"u8;
    private const int HeaderBytes = 8 + 4 + 8 + 8;

    /// <summary>Writes every version of <paramref name="rules"/>.</summary>
    public static void Write(Stream output, RuleSet rules) => WriteFramed(output, rules, rules.Versions, canonical: false);

    /// <summary>Writes one table version on its own, over just the codes it names: the same version always gives the
    /// same bytes, whatever rule set held it.</summary>
    public static void Write(Stream output, TableVersion version)
    {
        var alone = RuleSet.Compose([version]);
        WriteFramed(output, alone, alone.Versions, canonical: false);
    }

    /// <summary>The bytes <see cref="TableVersion.ContentHash"/> is computed over: the version alone, without sources.</summary>
    internal static void WriteCanonical(Stream output, TableVersion version)
    {
        var alone = RuleSet.Compose([version]);
        WritePayload(output, alone, alone.Versions, canonical: true);
    }

    private static void WriteFramed(Stream output, RuleSet rules, IReadOnlyList<TableVersion> versions, bool canonical)
    {
        EnsureLittleEndian();
        using var payload = new MemoryStream();
        WritePayload(payload, rules, versions, canonical);
        var body = payload.GetBuffer().AsSpan(0, (int)payload.Length);
        Span<byte> header = stackalloc byte[HeaderBytes];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], FormatVersion);
        BinaryPrimitives.WriteUInt64LittleEndian(header[12..], (ulong)body.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(header[20..], XxHash64.HashToUInt64(body));
        output.Write(header);
        output.Write(body);
    }

    private static void WritePayload(Stream output, RuleSet rules, IReadOnlyList<TableVersion> versions, bool canonical)
    {
        using var w = new SnapshotWriter(output);
        w.Array(rules.Codes.PackedCodes);
        w.Int(versions.Count);
        foreach (var v in versions)
        {
            w.Byte((byte)v.Table);
            w.String(v.Version);
            w.Int(v.EffectiveFrom.DayNumber);
            w.Int(v.Rows);
            if (!canonical)
            {
                w.Int(v.Sources.Count);
                foreach (var s in v.Sources)
                {
                    w.String(s.File);
                    w.OptionalString(s.Sha256);
                }
                w.String(v.ContentHash);
            }
            v.Index.Write(w);
        }
    }

    /// <summary>Reads a snapshot as a rule set. Throws <see cref="SnapshotException"/> naming <paramref name="name"/> and what is wrong.</summary>
    public static RuleSet Read(Stream input, string name = "snapshot")
    {
        EnsureLittleEndian();
        var bytes = ReadCapped(input, name);
        if (bytes.Length < HeaderBytes || !bytes.AsSpan(0, 8).SequenceEqual(Magic))
            throw new SnapshotException($"{name}: not a CodePairs rule snapshot (bad magic or shorter than the {HeaderBytes}-byte header)");
        var version = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        if (version != FormatVersion)
            throw new SnapshotException($"{name}: snapshot format version {version}; this build reads version {FormatVersion} (rebuild the snapshot with 'rules import')");
        var length = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(12));
        var actual = (ulong)(bytes.Length - HeaderBytes);
        if (actual < length) throw new SnapshotException($"{name}: truncated: the header promises {length:N0} payload bytes, the file holds {actual:N0}");
        if (actual > length) throw new SnapshotException($"{name}: {actual - length:N0} unexpected bytes after the payload");
        var body = bytes.AsSpan(HeaderBytes);
        if (XxHash64.HashToUInt64(body) != BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(20)))
            throw new SnapshotException($"{name}: checksum mismatch: the snapshot is corrupt");
        try
        {
            return Parse(new SnapshotReader(bytes, HeaderBytes, name));
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or InvalidOperationException or OverflowException or FormatException)
        {
            throw new SnapshotException($"{name}: corrupt payload: {e.Message}");
        }
    }

    /// <summary>Loads a snapshot as a rule set (the same as <see cref="Read"/>).</summary>
    public static RuleSet Load(Stream input, string name = "snapshot") => Read(input, name);

    private static byte[] ReadCapped(Stream input, string name)
    {
        if (input.CanSeek)
        {
            var length = input.Length - input.Position;
            if (length > MaxBytes) throw new SnapshotException($"{name}: {length:N0} bytes; snapshots over {MaxBytes:N0} bytes are refused");
            var bytes = new byte[length];
            input.ReadExactly(bytes);
            return bytes;
        }
        using var m = new MemoryStream();
        var buffer = new byte[1 << 16];
        int n;
        while ((n = input.Read(buffer)) > 0)
        {
            if (m.Length + n > MaxBytes) throw new SnapshotException($"{name}: over {MaxBytes:N0} bytes; larger snapshots are refused");
            m.Write(buffer, 0, n);
        }
        return m.ToArray();
    }

    private static RuleSet Parse(SnapshotReader r)
    {
        var packed = r.Array<int>();
        if (packed.Length > CodeIndex.MaxCodes) throw r.Corrupt($"{packed.Length} codes");
        for (var i = 0; i < packed.Length; i++)
        {
            if (i > 0 && packed[i] <= packed[i - 1]) throw r.Corrupt("the code list is not sorted");
            if (!HcpcsCode.IsPacked(packed[i])) throw r.Corrupt($"{packed[i]} is not a packed CPT/HCPCS code");
        }
        var codes = new CodeIndex(packed);
        var count = r.Count(1 << 10);
        if (count == 0) throw r.Corrupt("no table version");
        var versions = new List<TableVersion>(count);
        for (var k = 0; k < count; k++)
        {
            var table = r.Byte();
            if (table >= Tables.All.Count) throw r.Corrupt($"table {table}");
            var id = (TableId)table;
            var version = r.String();
            var effective = DateOnly.FromDayNumber(r.Int());
            if (!NcciDate.IsSupported(effective)) throw r.Corrupt($"{id.Name()} {version} starts on {effective:yyyy-MM-dd}");
            var rows = r.Int();
            var sources = new TableSource[r.Count(1 << 10)];
            for (var s = 0; s < sources.Length; s++) sources[s] = new TableSource(r.String(), r.OptionalString());
            var hash = r.String();
            var index = TableKinds.ReadIndex(id.Kind(), ref r, codes.Count);
            if (index.RowCount != rows) throw r.Corrupt($"{id.Name()} {version} says {rows} rows and holds {index.RowCount}");
            versions.Add(new TableVersion(id, version, effective, sources, index, codes, hash));
        }
        if (!r.AtEnd) throw r.Corrupt("unexpected bytes at the end");
        return new RuleSet(codes, versions);
    }

    private static void EnsureLittleEndian()
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("rule snapshots are little-endian");
    }
}
