using CodePairs.Rules;

namespace CodePairs.Functions.Rules;

/// <summary>The rule set a request is judged by: immutable, swapped whole when the active pointer moves.</summary>
/// <param name="RuleSetId">The catalogue's id of the rule set (the table versions in force together).</param>
public sealed record LoadedRules(RuleSet Rules, ClaimValidator Validator, string RuleSetId, DateTimeOffset LoadedAt);

/// <summary>Hands out the active rule set. Nothing on the request path talks to storage except a first load.</summary>
public interface IActiveRules
{
    /// <summary>The loaded set, or null while none has loaded (no rule set active yet, or storage unreachable).</summary>
    LoadedRules? Current { get; }

    /// <summary>Returns the loaded set, loading it first when this worker has none yet.</summary>
    ValueTask<LoadedRules?> GetAsync(CancellationToken cancellationToken);
}
