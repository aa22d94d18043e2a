using CodePairs.Storage;

namespace CodePairs.Functions.Http;

/// <param name="RuleSet">The active pointer's rule set.</param>
/// <param name="InForceToday">Per table, the version of the active rule set in force today.</param>
/// <param name="ServedByThisWorker">What this worker has loaded (it follows the pointer within the poll interval).</param>
public sealed record ActiveRuleSetView(string RuleSet, RuleSetEntry? Details, DateOnly Date, IReadOnlyList<TableRef> InForceToday,
    string? ServedByThisWorker, DateTimeOffset? LoadedAt);
