namespace CodePairs.Rules;

/// <summary>The difference of two AOC indexes over one code index, add-on code by add-on code, row by (add-on, primary).</summary>
internal static class AddOnChanges
{
    public static List<TableChange> Between(AddOnIndex? a, AddOnIndex? b, CodeIndex codes, bool[]? filter, (ushort From, ushort To)? days)
    {
        var changes = new List<TableChange>();
        for (var id = 0; id < codes.Count; id++)
        {
            var (aStart, aEnd) = a?.Rows(id) ?? (0, 0);
            var (bStart, bEnd) = b?.Rows(id) ?? (0, 0);
            if (aStart == aEnd && bStart == bEnd) continue;
            var primaries = new SortedSet<int>();
            for (var r = aStart; r < aEnd; r++) primaries.Add(a!.Primary[r]);
            for (var r = bStart; r < bEnd; r++) primaries.Add(b!.Primary[r]);
            foreach (var primary in primaries)
            {
                if (!TableChanges.Keep(filter, id, primary == CodeIndex.None ? -1 : primary)) continue;
                var other = primary == CodeIndex.None ? Cms.AddOnWorkbook.Placeholder : codes.TextOf(primary);
                var before = Rows(a, aStart, aEnd, primary, days?.From);
                var after = Rows(b, bStart, bEnd, primary, days?.To);
                if (days is null) TableChanges.MatchRows(before, after, codes.TextOf(id), other, changes);
                else InForce(before, after, codes.TextOf(id), other, changes);
            }
        }
        return changes;
    }

    /// <summary>The rows of one (add-on, primary) in file order; with a day, only the row in force on it.</summary>
    private static List<ChangeRow> Rows(AddOnIndex? index, int start, int end, int primary, ushort? day)
    {
        var rows = new List<ChangeRow>();
        for (var r = start; r < end; r++)
        {
            if (index!.Primary[r] != primary) continue;
            if (day is { } d && !(index.EditInForce(r, d) && (primary == CodeIndex.None || index.PrimaryInForce(r, d)))) continue;
            rows.Add(new ChangeRow
            {
                Type = index.Type[r], Effective = NcciDate.FromDay(index.EditEffective[r]), Deletion = NcciDate.FromDayOrOpen(index.EditDeletion[r]),
                AddOnDeletion = NcciDate.FromDayOrOpen(index.AddOnDeletion[r]), PrimaryDeletion = NcciDate.FromDayOrOpen(index.PrimaryDeletion[r]),
                Notes = index.Notes[r],
            });
        }
        return rows;
    }

    /// <summary>Between dates: the (add-on, primary) in force on each day; a change of type or notes is a revision.</summary>
    private static void InForce(List<ChangeRow> before, List<ChangeRow> after, string code, string other, List<TableChange> into)
    {
        var x = before.FirstOrDefault();
        var y = after.FirstOrDefault();
        if (x is null && y is null) return;
        if (x is null) into.Add(new TableChange(ChangeKind.Added, code, other, [], null, y));
        else if (y is null) into.Add(new TableChange(ChangeKind.Deleted, code, other, [], x, null));
        else if (x.Type != y.Type || x.Notes != y.Notes) into.Add(new TableChange(ChangeKind.Revised, code, other, TableChanges.Fields(x, y), x, y));
    }
}
