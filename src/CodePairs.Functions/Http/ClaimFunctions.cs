using CodePairs.Functions.RuleSets;
using CodePairs.Rules;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodePairs.Functions.Http;

/// <summary>POST /api/v1/claims/validate: a claim in, findings out — or a batch of claims (a JSON array, or NDJSON: one
/// claim a line), each with its own answer or its own problem, in order.</summary>
public sealed class ClaimFunctions(IActiveRules rules, IOptions<ApiOptions> options, ILogger<ClaimFunctions> logger)
{
    [Function("ValidateClaim")]
    public async Task<IResult> Validate(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/claims/validate")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var limits = options.Value;
        var (body, problem) = await ClaimBody.ReadAsync(request, limits, cancellationToken);
        if (problem is not null) return Rejected(problem, "unreadable body");
        if (body!.Kind != ClaimBodyKind.Single) return await BatchAsync(body, limits, cancellationToken);

        DecodedClaim decoded;
        using (body) decoded = ClaimDecoder.Decode(body.Bytes, limits.MaxClaimLines);
        if (decoded.Claim is not { } claim) return Rejected(Problems.BadRequest(decoded.Title!, decoded.Detail!, decoded.Errors), decoded.Errors is null ? "unreadable body" : "invalid claim");

        var (loaded, unavailable) = await rules.LoadedAsync(limits, logger, cancellationToken);
        if (loaded is null) return unavailable!;

        var result = loaded.Validator.Validate(claim);
        Log.ClaimValidated(logger, result.Lines, result.Findings.Count, result.Clean, loaded.RuleSetId);
        return new ClaimJsonResult(claim.ClaimId, result);
    }

    /// <summary>A batch is answered as it is judged: the rule set is fetched first (503 before any answer is sent).</summary>
    private async Task<IResult> BatchAsync(ClaimBody body, ApiOptions limits, CancellationToken cancellationToken)
    {
        var (loaded, unavailable) = await rules.LoadedAsync(limits, logger, cancellationToken);
        if (loaded is null)
        {
            body.Dispose();
            return unavailable!;
        }
        return new ClaimBatchResult(body, loaded, limits, logger);
    }

    /// <summary>The previous implementation of the single-claim route (serializer into <see cref="ClaimInput"/>,
    /// <see cref="ClaimParser"/>, serializer out), kept to measure and test the fast path against.</summary>
    public async Task<IResult> ValidateWithSerializer(HttpRequest request, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        var (input, problem) = await JsonBody.ReadAsync<ClaimInput>(request, limits.MaxClaimBytes, cancellationToken);
        if (problem is not null) return Rejected(problem, "unreadable body");

        var (claim, errors) = ClaimParser.Parse(input!, maxLines: limits.MaxClaimLines);
        if (claim is null)
            return Rejected(Problems.BadRequest("Invalid claim", $"The claim has {errors.Count} problem(s); see errors.", errors), "invalid claim");

        var (loaded, unavailable) = await rules.LoadedAsync(limits, logger, cancellationToken);
        if (loaded is null) return unavailable!;

        var result = loaded.Validator.Validate(claim);
        Log.ClaimValidated(logger, result.Lines, result.Findings.Count, result.Clean, loaded.RuleSetId);
        return TypedResults.Ok(new ClaimResponse(claim.ClaimId, result.Clean, result.Lines, result.Findings, result.TablesUsed));
    }

    private IResult Rejected(IResult problem, string what)
    {
        Log.RequestRejected(logger, (problem as IStatusCodeHttpResult)?.StatusCode ?? 400, what);
        return problem;
    }
}
