using CodePairs.Rules;

namespace CodePairs.Functions.RuleSets;

/// <summary>The rule set a request is judged by: immutable, swapped whole when the active pointer moves.</summary>
/// <param name="RuleSetId">The catalogue's id of the rule set (the table versions in force together).</param>
public sealed record LoadedRules(RuleSet Rules, ClaimValidator Validator, string RuleSetId, DateTimeOffset LoadedAt);

/// <summary>Where a worker stands with its rule set.</summary>
public enum RuleSetLoadState
{
    /// <summary>None loaded and none loading: no active pointer yet, or the last load failed (requests retry it).</summary>
    Unavailable,
    /// <summary>The first load is in progress (from the worker's start); requests wait for it, bounded.</summary>
    Loading,
    /// <summary>A rule set is serving.</summary>
    Loaded,
}

/// <summary>Hands out the active rule set. Nothing on the request path talks to storage except a first load.</summary>
public interface IActiveRules
{
    /// <summary>Loaded, loading or unavailable.</summary>
    RuleSetLoadState Status => Current is null ? RuleSetLoadState.Unavailable : RuleSetLoadState.Loaded;

    /// <summary>The loaded set, or null while none has loaded (no rule set active yet, or storage unreachable).</summary>
    LoadedRules? Current { get; }

    /// <summary>Returns the loaded set; when this worker has none yet, waits (bounded) for the load in progress or starts one.</summary>
    ValueTask<LoadedRules?> GetAsync(CancellationToken cancellationToken);
}
