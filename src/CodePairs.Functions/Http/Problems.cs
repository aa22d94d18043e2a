using CodePairs.Rules;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CodePairs.Functions.Http;

/// <summary>RFC 9457 problem responses, one place for their titles and types.</summary>
public static class Problems
{
    internal const string TypeBase = "https://codepairs.dev/problems/";

    public static ProblemHttpResult BadRequest(string title, string detail, IReadOnlyList<InputError>? errors = null)
        => Problem(StatusCodes.Status400BadRequest, "invalid-request", title, detail,
            errors is null ? null : new Dictionary<string, object?>
            {
                ["errors"] = errors.Select(e => new { line = e.Line, field = e.Field, reason = e.Reason }).ToArray(),
            });

    public static ProblemHttpResult PayloadTooLarge(long limit)
        => Problem(StatusCodes.Status413PayloadTooLarge, "payload-too-large", "Request body too large",
            $"The request body must be at most {limit} bytes.");

    public static ProblemHttpResult PayloadTooLarge(string detail)
        => Problem(StatusCodes.Status413PayloadTooLarge, "payload-too-large", "Request body too large", detail);

    public static ProblemHttpResult UnsupportedMediaType(string? contentType)
        => Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Unsupported media type",
            $"Send the body as application/json (got '{contentType}').");

    public static ProblemHttpResult UnsupportedMediaType(string? contentType, string detail)
        => Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Unsupported media type",
            $"{detail} (got '{contentType}').");

    public static ProblemHttpResult NotFound(string title, string detail)
        => Problem(StatusCodes.Status404NotFound, "not-found", title, detail);

    public static ProblemHttpResult Conflict(string title, string detail)
        => Problem(StatusCodes.Status409Conflict, "conflict", title, detail);

    /// <summary>No rule set is loaded yet: 503 with Retry-After so partners back off and retry.</summary>
    public static RetryAfterProblem NoRuleSet(int retryAfterSeconds = 30)
        => new(Problem(StatusCodes.Status503ServiceUnavailable, "no-rule-set", "No rule set loaded",
            "No NCCI release is active yet, or it is still loading. Retry after the number of seconds in Retry-After."),
            retryAfterSeconds);

    public static ProblemHttpResult Internal(string? traceId)
        => Problem(StatusCodes.Status500InternalServerError, "internal-error", "Internal error",
            "The request could not be completed. Quote the trace id when you report it.",
            traceId is null ? null : new Dictionary<string, object?> { ["traceId"] = traceId });

    private static ProblemHttpResult Problem(int status, string type, string title, string detail, IDictionary<string, object?>? extensions = null)
        => TypedResults.Problem(detail: detail, statusCode: status, title: title, type: TypeBase + type, extensions: extensions);
}
