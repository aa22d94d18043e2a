using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CodePairs.Functions.Http;

/// <summary>A problem response with a Retry-After header (a 503 while no rule set is loaded): a typed result of its own,
/// so a route's <c>Results&lt;…&gt;</c> says it may answer so.</summary>
public sealed class RetryAfterProblem(ProblemHttpResult problem, int retryAfterSeconds) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => problem.StatusCode;
    public int RetryAfterSeconds => retryAfterSeconds;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return problem.ExecuteAsync(httpContext);
    }
}
