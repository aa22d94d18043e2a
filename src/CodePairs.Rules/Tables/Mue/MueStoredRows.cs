using System.Buffers.Binary;

namespace CodePairs.Rules;

/// <summary>The rule store's layout of an MUE version (see <see cref="StoredRows"/>).</summary>
internal static class MueStoredRows
{
    public const int RowBytes = 10;

    public static StoredTable Encode(TableVersion version)
    {
        var words = new StoredRows.Vocabulary();
        var groups = new List<StoredGroup>();
        long rows = 0;
        foreach (var group in version.MueLimits().GroupBy(l => StoredRows.Prefix(l.Code)))
        {
            var limits = group.ToArray();
            var data = new byte[limits.Length * RowBytes];
            for (var i = 0; i < limits.Length; i++)
            {
                var r = limits[i];
                var span = data.AsSpan(i * RowBytes, RowBytes);
                BinaryPrimitives.WriteInt32LittleEndian(span, r.Code.Packed);
                BinaryPrimitives.WriteInt32LittleEndian(span[4..], r.Value);
                span[8] = (byte)r.Adjudication;
                span[9] = checked((byte)words.IndexOf(r.Rationale));
            }
            rows += limits.Length;
            groups.Add(new StoredGroup(group.Key, limits.Length, data));
        }
        return new StoredTable(version.Table, groups, words.Words, [], rows);
    }

    public static MueLimit? Decode(HcpcsCode code, StoredGroup group, IReadOnlyList<string> rationales)
    {
        for (var i = 0; i < group.Rows; i++)
        {
            var span = group.Data.AsSpan(i * RowBytes, RowBytes);
            if (BinaryPrimitives.ReadInt32LittleEndian(span) != code.Packed) continue;
            if (span[8] is < 1 or > 3) throw new FormatException($"a stored MUE has adjudication indicator {span[8]}");
            return new MueLimit(code, BinaryPrimitives.ReadInt32LittleEndian(span[4..]), (MueAdjudication)span[8], StoredRows.Word(rationales, span[9], "rationale"));
        }
        return null;
    }
}
