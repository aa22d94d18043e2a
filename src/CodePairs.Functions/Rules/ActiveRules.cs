using CodePairs.Rules;

namespace CodePairs.Functions.Rules;

/// <summary>The rule set a request is judged by: immutable, swapped whole when the active pointer moves.</summary>
public sealed record LoadedRules(RuleSet Rules, ClaimValidator Validator, IReadOnlyList<string> ReleaseIds, DateTimeOffset LoadedAt);

/// <summary>Hands out the active rule set. Nothing on the request path talks to storage except a first load.</summary>
public interface IActiveRules
{
    /// <summary>The loaded set, or null while none has loaded (no release active yet, or storage unreachable).</summary>
    LoadedRules? Current { get; }

    /// <summary>Returns the loaded set, loading it first when this worker has none yet.</summary>
    ValueTask<LoadedRules?> GetAsync(CancellationToken cancellationToken);
}
