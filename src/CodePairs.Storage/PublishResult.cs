using CodePairs.Rules;

namespace CodePairs.Storage;

/// <summary>What a publish did: the table versions it staged, the rule set they now belong to and whether it serves.</summary>
/// <param name="Unchanged">The drop held nothing the active rule set did not already hold: no new rule set.</param>
public sealed record PublishResult(string RuleSetId, IReadOnlyList<VersionOutcome> Versions, IReadOnlyList<TableRef> Tables, bool Activated,
    bool Unchanged, string? Previous, long EntityWrites)
{
    /// <summary>What each new table version changed against its table's previous version.</summary>
    public IReadOnlyList<ChangeSummary> Changes { get; init; } = [];
}
