namespace CodePairs.Functions;

/// <param name="RuleSetStatus">loading (the first load since the worker started is in progress), loaded, or unavailable
/// (no active rule set yet, or its load failed).</param>
/// <param name="TablesInForce">The table versions in force today in the loaded rule set.</param>
public sealed record HealthResponse(string Status, string RuleSetStatus, bool RuleSetLoaded, string? RuleSet,
    IReadOnlyList<CodePairs.Rules.RuleSource> TablesInForce, DateTimeOffset? LoadedAt);
