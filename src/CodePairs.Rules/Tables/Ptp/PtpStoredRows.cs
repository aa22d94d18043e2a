using System.Buffers.Binary;

namespace CodePairs.Rules;

/// <summary>The rule store's layout of a PTP version (see <see cref="StoredRows"/>).</summary>
internal static class PtpStoredRows
{
    public const int RowBytes = 9;

    public static StoredTable Encode(TableVersion version)
    {
        var words = new StoredRows.Vocabulary();
        var groups = new List<StoredGroup>();
        long rows = 0;
        foreach (var code in version.PtpColumn1Codes())
        {
            var edits = version.PtpEdits(code);
            var data = new byte[edits.Count * RowBytes];
            for (var i = 0; i < edits.Count; i++)
            {
                var r = edits[i];
                var span = data.AsSpan(i * RowBytes, RowBytes);
                BinaryPrimitives.WriteInt32LittleEndian(span, r.Column2.Packed);
                BinaryPrimitives.WriteUInt16LittleEndian(span[4..], NcciDate.ToDay(r.Effective));
                BinaryPrimitives.WriteUInt16LittleEndian(span[6..], NcciDate.ToDay(r.Deletion));
                span[8] = PtpMeta.Of(r.Indicator, r.PriorTo1996, words.IndexOf(r.Rationale)).Value;
            }
            rows += edits.Count;
            groups.Add(new StoredGroup(code.ToString(), edits.Count, data));
        }
        return new StoredTable(version.Table, groups, words.Words, [], rows);
    }

    public static IReadOnlyList<PtpEdit> Decode(HcpcsCode column1, StoredGroup group, IReadOnlyList<string> rationales)
    {
        var rows = new PtpEdit[group.Rows];
        for (var i = 0; i < rows.Length; i++)
        {
            var span = group.Data.AsSpan(i * RowBytes, RowBytes);
            var meta = new PtpMeta(span[8]);
            rows[i] = new PtpEdit(column1, HcpcsCode.FromPackedChecked(BinaryPrimitives.ReadInt32LittleEndian(span)), meta.PriorTo1996,
                NcciDate.FromDay(BinaryPrimitives.ReadUInt16LittleEndian(span[4..])), NcciDate.FromDayOrOpen(BinaryPrimitives.ReadUInt16LittleEndian(span[6..])),
                meta.Indicator, StoredRows.Word(rationales, meta.Rationale, "rationale"));
        }
        return rows;
    }
}
