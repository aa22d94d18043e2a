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
        return TypedResults.Ok(new HealthResponse("alive", current is not null, current?.ReleaseIds ?? [], current?.LoadedAt));
    }
}

public sealed record HealthResponse(string Status, bool RuleSetLoaded, IReadOnlyList<string> Releases, DateTimeOffset? LoadedAt);
