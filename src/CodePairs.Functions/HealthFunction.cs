using CodePairs.Functions.RuleSets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace CodePairs.Functions;

/// <summary>GET /api/health (anonymous): alive, and where the worker stands with its rule set: loading (from the
/// worker's start), loaded (which, and its tables in force today) or unavailable.</summary>
public sealed class HealthFunction(IActiveRules rules)
{
    [Function("Health")]
    public Ok<HealthResponse> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request)
    {
        var current = rules.Current;
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var inForce = current is null ? [] : current.Rules.Versions.Select(v => v.Table).Distinct()
            .Select(t => current.Rules.VersionFor(t, today)?.Source).OfType<CodePairs.Rules.RuleSource>().ToArray();
        var status = current is not null ? "loaded" : rules.Status == RuleSetLoadState.Loading ? "loading" : "unavailable";
        return TypedResults.Ok(new HealthResponse("alive", status, current is not null, current?.RuleSetId, inForce, current?.LoadedAt));
    }
}
