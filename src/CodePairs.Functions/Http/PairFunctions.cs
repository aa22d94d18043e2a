using CodePairs.Functions.RuleSets;
using CodePairs.Rules;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodePairs.Functions.Http;

/// <summary>GET|POST /api/v1/pairs/{code1}/{code2}: both directions' PTP rows and what they mean for the pair
/// (<see cref="PairReport"/>).</summary>
public sealed class PairFunctions(IActiveRules rules, IOptions<ApiOptions> options, TimeProvider clock, ILogger<PairFunctions> logger)
{
    [Function("CheckPair")]
    public async Task<Results<Ok<PairResponse>, ProblemHttpResult, RetryAfterProblem>> Check(
        [HttpTrigger(AuthorizationLevel.Function, "get", "post", Route = "v1/pairs/{code1}/{code2}")] HttpRequest request,
        string code1, string code2, CancellationToken cancellationToken)
    {
        var (query, problem) = HttpMethods.IsPost(request.Method)
            ? await JsonBody.ReadAsync<PairQuery>(request, options.Value.MaxClaimBytes, cancellationToken)
            : (FromQuery(request.Query), null);
        if (problem is not null) return Rejected(problem);
        var (claim, errors) = PairReport.Parse(code1, code2, query!, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        if (claim is null)
            return Rejected(Problems.BadRequest("Invalid pair query", $"The query has {errors.Count} problem(s); see errors (line 1 = code1, line 2 = code2).", errors));

        var (loaded, unavailable) = await rules.LoadedAsync(options.Value, logger, cancellationToken);
        if (loaded is null) return unavailable!;
        return TypedResults.Ok(PairResponse.From(PairReport.For(loaded.Validator, claim)));
    }

    private ProblemHttpResult Rejected(ProblemHttpResult problem)
    {
        Log.RequestRejected(logger, problem.StatusCode, "invalid pair query");
        return problem;
    }

    private static PairQuery FromQuery(IQueryCollection query) => new()
    {
        DateOfService = query["date"].FirstOrDefault(),
        Setting = query["setting"].FirstOrDefault(),
        Modifiers1 = Split(query["modifiers1"].FirstOrDefault()),
        Modifiers2 = Split(query["modifiers2"].FirstOrDefault()),
    };

    private static List<string>? Split(string? csv)
        => string.IsNullOrWhiteSpace(csv) ? null : csv.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
}
