using CodePairs.Rules;

namespace CodePairs.Functions.Http;

/// <summary>One page of a change report: counts and the most affected codes of the whole report, then the page.</summary>
/// <param name="Next">The URL of the next page, or null on the last.</param>
public sealed record ChangePage(TableId Table, string From, string To, string RuleSet, IReadOnlyDictionary<ChangeKind, int> Counts, int Total,
    int Offset, int Count, IReadOnlyList<AffectedCode> MostAffected, IReadOnlyList<TableChange> Changes, string? Next);
