using CodePairs.Functions.Rules;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace CodePairs.Functions;

/// <summary>GET /api/health (anonymous): alive, and whether a rule set is loaded and which.</summary>
public sealed class HealthFunction(IActiveRules rules)
{
    [Function("Health")]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request)
    {
        var current = rules.Current;
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var inForce = current is null ? [] : current.Rules.Versions.Select(v => v.Table).Distinct()
            .Select(t => current.Rules.VersionFor(t, today)?.Source).OfType<CodePairs.Rules.RuleSource>().ToArray();
        return TypedResults.Ok(new HealthResponse("alive", current is not null, current?.RuleSetId, inForce, current?.LoadedAt));
    }
}

/// <param name="TablesInForce">The table versions in force today in the loaded rule set.</param>
public sealed record HealthResponse(string Status, bool RuleSetLoaded, string? RuleSet, IReadOnlyList<CodePairs.Rules.RuleSource> TablesInForce, DateTimeOffset? LoadedAt);
