namespace CodePairs.Functions.Http;

/// <summary>The gate every rule-backed route passes: the loaded set, or a logged 503 problem with Retry-After.</summary>
internal static class RuleSetGate
{
    public static async Task<(RuleSets.LoadedRules? Loaded, RetryAfterProblem? Unavailable)> LoadedAsync(this RuleSets.IActiveRules rules, ApiOptions options,
        Microsoft.Extensions.Logging.ILogger logger, CancellationToken cancellationToken)
    {
        var loaded = await rules.GetAsync(cancellationToken);
        if (loaded is not null) return (loaded, null);
        Log.NoRuleSet(logger);
        return (null, Problems.NoRuleSet(options.RetryAfterSeconds));
    }
}
