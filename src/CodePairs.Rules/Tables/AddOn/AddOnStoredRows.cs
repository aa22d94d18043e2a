using System.Buffers.Binary;

namespace CodePairs.Rules;

/// <summary>The rule store's layout of an AOC version (see <see cref="StoredRows"/>).</summary>
internal static class AddOnStoredRows
{
    public const int RowBytes = 15;
    private const ushort NoNote = ushort.MaxValue;

    public static StoredTable Encode(TableVersion version)
    {
        var notes = new StoredRows.Vocabulary();
        var groups = new List<StoredGroup>();
        long rows = 0;
        foreach (var code in version.AddOnCodes())
        {
            var edits = version.AddOnEdits(code);
            var data = new byte[edits.Count * RowBytes];
            for (var i = 0; i < edits.Count; i++)
            {
                var r = edits[i];
                var span = data.AsSpan(i * RowBytes, RowBytes);
                BinaryPrimitives.WriteInt32LittleEndian(span, r.Primary.Packed);
                span[4] = (byte)r.Type;
                BinaryPrimitives.WriteUInt16LittleEndian(span[5..], NcciDate.ToDay(r.AddOnDeletion));
                BinaryPrimitives.WriteUInt16LittleEndian(span[7..], NcciDate.ToDay(r.PrimaryDeletion));
                BinaryPrimitives.WriteUInt16LittleEndian(span[9..], NcciDate.ToDay(r.EditEffective));
                BinaryPrimitives.WriteUInt16LittleEndian(span[11..], NcciDate.ToDay(r.EditDeletion));
                BinaryPrimitives.WriteUInt16LittleEndian(span[13..], r.Notes is null ? NoNote : checked((ushort)notes.IndexOf(r.Notes)));
            }
            rows += edits.Count;
            groups.Add(new StoredGroup(code.ToString(), edits.Count, data));
        }
        return new StoredTable(version.Table, groups, [], notes.Words, rows);
    }

    public static IReadOnlyList<AddOnEdit> Decode(HcpcsCode addOn, StoredGroup group, IReadOnlyList<string> notes)
    {
        var rows = new AddOnEdit[group.Rows];
        for (var i = 0; i < rows.Length; i++)
        {
            var span = group.Data.AsSpan(i * RowBytes, RowBytes);
            var primary = BinaryPrimitives.ReadInt32LittleEndian(span);
            var note = BinaryPrimitives.ReadUInt16LittleEndian(span[13..]);
            if (span[4] is < 1 or > 3) throw new FormatException($"a stored add-on row has type {span[4]}");
            rows[i] = new AddOnEdit(addOn,
                NcciDate.FromDayOrOpen(BinaryPrimitives.ReadUInt16LittleEndian(span[5..])),
                primary == 0 ? default : HcpcsCode.FromPackedChecked(primary),
                NcciDate.FromDayOrOpen(BinaryPrimitives.ReadUInt16LittleEndian(span[7..])),
                (AddOnType)span[4],
                NcciDate.FromDay(BinaryPrimitives.ReadUInt16LittleEndian(span[9..])),
                NcciDate.FromDayOrOpen(BinaryPrimitives.ReadUInt16LittleEndian(span[11..])),
                note == NoNote ? null : StoredRows.Word(notes, note, "note"));
        }
        return rows;
    }
}
