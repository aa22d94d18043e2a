namespace CodePairs.Rules;

/// <summary>The counts of a change report and its most affected codes (what the catalogue keeps beside a rule set).</summary>
public sealed record ChangeSummary(TableId Table, string From, string To, IReadOnlyDictionary<ChangeKind, int> Counts, int Total, IReadOnlyList<AffectedCode> MostAffected);
