namespace CodePairs.Rules;

/// <summary>The difference of two PTP indexes over one code index: a merge of their sorted runs, pair by pair. Pairs
/// whose rows are identical (the vast majority) cost a few array compares and allocate nothing.</summary>
internal static class PtpChanges
{
    /// <param name="days">Null: compare every row (two versions). Else compare what is in force on each day.</param>
    public static List<TableChange> Between(PtpIndex? a, PtpIndex? b, CodeIndex codes, bool[]? filter, (ushort From, ushort To)? days)
    {
        var changes = new List<TableChange>();
        var rationaleMap = a is null || b is null ? [] : RationaleMap(a, b);
        var n = codes.Count;
        for (var c1 = 0; c1 < n; c1++)
        {
            int ai = a?.Offsets[c1] ?? 0, aEnd = a?.Offsets[c1 + 1] ?? 0, bi = b?.Offsets[c1] ?? 0, bEnd = b?.Offsets[c1 + 1] ?? 0;
            if (ai == aEnd && bi == bEnd) continue;
            while (ai < aEnd || bi < bEnd)
            {
                var c2a = ai < aEnd ? a!.Column2[ai] : int.MaxValue;
                var c2b = bi < bEnd ? b!.Column2[bi] : int.MaxValue;
                var c2 = Math.Min(c2a, c2b);
                int aRunEnd = ai, bRunEnd = bi;
                while (aRunEnd < aEnd && a!.Column2[aRunEnd] == c2) aRunEnd++;
                while (bRunEnd < bEnd && b!.Column2[bRunEnd] == c2) bRunEnd++;
                if (TableChanges.Keep(filter, c1, c2))
                {
                    if (days is { } d) CompareInForce(a, ai, aRunEnd, d.From, b, bi, bRunEnd, d.To, codes, c1, c2, changes);
                    else if (!Same(a!, ai, aRunEnd, b!, bi, bRunEnd, rationaleMap)) CompareRows(a, ai, aRunEnd, b, bi, bRunEnd, codes, c1, c2, changes);
                }
                ai = aRunEnd;
                bi = bRunEnd;
            }
        }
        return changes;
    }

    /// <summary>For each rationale index of <paramref name="a"/>, the index of the same text in <paramref name="b"/> (-1: none).</summary>
    private static int[] RationaleMap(PtpIndex a, PtpIndex b)
        => a.Rationales.Select(t => Array.IndexOf(b.Rationales, t)).ToArray();

    private static bool Same(PtpIndex a, int ai, int aEnd, PtpIndex b, int bi, int bEnd, int[] rationaleMap)
    {
        if (aEnd - ai != bEnd - bi) return false;
        for (int i = ai, j = bi; i < aEnd; i++, j++)
        {
            if (a.Effective[i] != b.Effective[j] || a.Deletion[i] != b.Deletion[j]) return false;
            var (ma, mb) = (a.Meta[i], b.Meta[j]);
            if ((ma & 7) != (mb & 7) || rationaleMap[ma >> 3] != mb >> 3) return false;
        }
        return true;
    }

    private static ChangeRow Row(PtpIndex index, int r)
    {
        var meta = index.MetaOf(r);
        return new ChangeRow
        {
            Effective = NcciDate.FromDay(index.Effective[r]), Deletion = NcciDate.FromDayOrOpen(index.Deletion[r]),
            ModifierIndicator = (int)meta.Indicator, PriorTo1996 = meta.PriorTo1996, Rationale = index.Rationales[meta.Rationale],
        };
    }

    private static void CompareRows(PtpIndex? a, int ai, int aEnd, PtpIndex? b, int bi, int bEnd, CodeIndex codes, int c1, int c2, List<TableChange> into)
    {
        var before = new List<ChangeRow>(aEnd - ai);
        for (var r = ai; r < aEnd; r++) before.Add(Row(a!, r));
        var after = new List<ChangeRow>(bEnd - bi);
        for (var r = bi; r < bEnd; r++) after.Add(Row(b!, r));
        TableChanges.MatchRows(before, after, codes.TextOf(c1), codes.TextOf(c2), into);
    }

    /// <summary>Between dates: the row that is an edit on each day (indicator 9 never is) decides.</summary>
    private static void CompareInForce(PtpIndex? a, int ai, int aEnd, ushort fromDay, PtpIndex? b, int bi, int bEnd, ushort toDay,
        CodeIndex codes, int c1, int c2, List<TableChange> into)
    {
        var ra = a is null || ai == aEnd ? -1 : a.InForce(ai, aEnd, fromDay);
        var rb = b is null || bi == bEnd ? -1 : b.InForce(bi, bEnd, toDay);
        if (ra < 0 && rb < 0) return;
        var (code, other) = (codes.TextOf(c1), codes.TextOf(c2));
        if (ra < 0) { into.Add(new TableChange(ChangeKind.Added, code, other, [], null, Row(b!, rb))); return; }
        if (rb < 0) { into.Add(new TableChange(ChangeKind.Deleted, code, other, [], Row(a!, ra), null)); return; }
        var (x, y) = (Row(a!, ra), Row(b!, rb));
        if (x.ModifierIndicator == y.ModifierIndicator && x.Rationale == y.Rationale) return; // the same edit on both days
        into.Add(new TableChange(ChangeKind.Revised, code, other, TableChanges.Fields(x, y), x, y));
    }
}
