namespace CodePairs.Rules;

/// <summary>The changes of one table between two versions (or the versions in force on two dates), in a fixed order
/// (code, other code, effective date, kind), with counts per kind.</summary>
public sealed record ChangeReport(TableId Table, string From, string To, IReadOnlyList<TableChange> Changes)
{
    public IReadOnlyDictionary<ChangeKind, int> Counts { get; } =
        Changes.GroupBy(c => c.Kind).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>The codes named by most changes (either code of a change), most first, then by code.</summary>
    public IReadOnlyList<AffectedCode> MostAffected(int count)
        => Changes.SelectMany(c => c.Other is { } o && o != c.Code && o != Cms.AddOnWorkbook.Placeholder ? new[] { c.Code, o } : [c.Code])
            .GroupBy(c => c).Select(g => new AffectedCode(g.Key, g.Count()))
            .OrderByDescending(a => a.Changes).ThenBy(a => a.Code, StringComparer.Ordinal).Take(count).ToArray();

    public ChangeSummary Summary(int mostAffected = 50)
        => new(Table, From, To, Counts.ToDictionary(k => k.Key, k => k.Value), Changes.Count, MostAffected(mostAffected));
}
