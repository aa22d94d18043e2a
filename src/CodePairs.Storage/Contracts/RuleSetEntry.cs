using CodePairs.Rules;

namespace CodePairs.Storage;

/// <summary>A rule set in the catalogue: the table versions in force together (several per table, each from its date),
/// what made it (a drop, a publish), the state it replaced, its snapshot, and what changed in each table it brought a
/// new version of (counts per change kind and the most affected codes, against the table's previous version).</summary>
public sealed record RuleSetEntry(string Id, RuleSetStatus Status, IReadOnlyList<TableRef> Tables, string Origin, string? Previous,
    string? SnapshotSha256, DateTimeOffset CreatedAt, DateTimeOffset? ActivatedAt, string? LastError = null)
{
    public IReadOnlyList<ChangeSummary> Changes { get; init; } = [];
}
