using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace CodePairs.Functions;

/// <summary>Liveness probe. Later issues add whether a rule set is loaded and which.</summary>
public sealed class HealthFunction
{
    [Function("Health")]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request)
        => TypedResults.Ok(new HealthResponse("alive", typeof(CodePairs.Rules.HcpcsCode).Assembly.GetName().Version?.ToString() ?? "0"));
}

public sealed record HealthResponse(string Status, string EngineVersion);
