namespace CodePairs.Rules;

/// <summary>Add-on edits: an add-on code needs one of its listed primaries on the same date of service. The rows in
/// force on the date decide (CMS lists some pairs twice, with different types and windows): type 1 without a listed
/// primary is denied; type 3 (primaries listed, the contractor may accept others, or <c>CCCCC</c>: none listed) and
/// type 2 (the contractor defines them all) are warnings.</summary>
internal sealed class AddOnCheck : IClaimCheck
{
    public static readonly AddOnCheck Instance = new();

    public void Check(ref ClaimContext c)
    {
        var n = c.Lines;
        for (var i = 0; i < n; i++)
        {
            var id = c.Ids[i];
            if (id < 0) continue;
            if (c.Version(TableId.AddOn, i) is not { } version) continue;
            var aoc = (AddOnIndex)version.Index;
            var (start, end) = aoc.Rows(id);
            if (start == end) continue;
            var day = c.Days[i];
            var firstRow = -1;
            bool type2 = false, type3 = false, listed = false, satisfied = false;
            for (var r = start; r < end && !satisfied; r++)
            {
                if (!aoc.EditInForce(r, day)) continue;
                if (firstRow < 0) firstRow = r;
                type2 |= aoc.Type[r] == (byte)AddOnType.Type2;
                type3 |= aoc.Type[r] == (byte)AddOnType.Type3;
                if (!aoc.PrimaryInForce(r, day)) continue;
                listed = true;
                var primary = aoc.Primary[r];
                for (var j = 0; j < n; j++)
                    if (j != i && c.Ids[j] == primary && c.Days[j] == day) { satisfied = true; break; }
            }
            if (firstRow < 0 || satisfied) continue; // not an add-on code on this date, or its primary is billed
            // Type 2 only when CMS lists nothing at all; any type-3 row lets the contractor accept other primaries.
            var type = type2 && !listed ? AddOnType.Type2 : type3 ? AddOnType.Type3 : AddOnType.Type1;
            c.Report.Add(Explain.AddOn(c.Claim, i, aoc.Row(firstRow, c.Codes, id), type, listed, Listed(aoc, start, end, day, c.Codes), version.Source));
        }
    }

    /// <summary>The primaries listed on the day, as ranges, computed only if a response shows them (in its own method so
    /// the closure is allocated only for a finding, not for every line checked).</summary>
    private static Func<IReadOnlyList<CodeRange>> Listed(AddOnIndex aoc, int start, int end, ushort day, CodeIndex codes) => () =>
    {
        var primaries = new List<HcpcsCode>();
        for (var r = start; r < end; r++)
            if (aoc.EditInForce(r, day) && aoc.PrimaryInForce(r, day)) primaries.Add(codes.CodeOf(aoc.Primary[r]));
        return CodeRange.Compress(primaries);
    };
}
