using System.Globalization;
using CodePairs.Functions.RuleSets;
using CodePairs.Rules;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodePairs.Functions.Http;

/// <summary>GET /api/v1/changes?table=&amp;from=&amp;to=&amp;codes=&amp;offset=&amp;limit=: what changed in one table of the
/// active rule set between two versions (or the versions in force on two dates), paged.</summary>
public sealed class ChangeFunctions(IActiveRules rules, IOptions<ApiOptions> options, ILogger<ChangeFunctions> logger)
{
    public const int DefaultLimit = 500;
    public const int MaxLimit = 5_000;

    [Function("TableChanges")]
    public async Task<Results<Ok<ChangePage>, ProblemHttpResult, RetryAfterProblem>> Changes(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/changes")] HttpRequest request, CancellationToken cancellationToken)
    {
        var q = request.Query;
        var errors = new List<InputError>();
        var table = TableId.PtpPractitioner;
        if (q["table"].FirstOrDefault() is not { } tableText) errors.Add(new InputError(null, "table", "is required"));
        else if (!Tables.TryParse(tableText, out table))
            errors.Add(new InputError(null, "table", $"is not a table ({string.Join(", ", Tables.All.Select(t => t.Name()))})"));
        if (!TableChanges.TryParseCodes(q["codes"].FirstOrDefault(), out var codes, out var codeError)) errors.Add(new InputError(null, "codes", codeError!));
        var offset = Number(q["offset"].FirstOrDefault(), "offset", 0, 0, int.MaxValue, errors);
        var limit = Number(q["limit"].FirstOrDefault(), "limit", DefaultLimit, 1, MaxLimit, errors);
        if (errors.Count > 0) return Rejected(errors);

        var (loaded, unavailable) = await rules.LoadedAsync(options.Value, logger, cancellationToken);
        if (loaded is null) return unavailable!;
        if (!TableChanges.TryBetween(loaded.Rules, table, q["from"].FirstOrDefault(), q["to"].FirstOrDefault(), codes, out var report, out var problems))
            return Rejected(problems.Select(p => new InputError(null, p.Field, p.Reason)).ToList());

        var page = report!.Changes.Skip(offset).Take(limit).ToArray();
        var next = offset + page.Length < report.Changes.Count
            ? $"/api/v1/changes{QueryString.Create(q.Where(k => k.Key != "offset").Select(k => new KeyValuePair<string, string?>(k.Key, k.Value.ToString()))
                .Append(new("offset", (offset + page.Length).ToString(CultureInfo.InvariantCulture))))}"
            : null;
        return TypedResults.Ok(new ChangePage(report.Table, report.From, report.To, loaded.RuleSetId, report.Counts, report.Changes.Count, offset, page.Length,
            report.MostAffected(50), page, next));
    }

    private static int Number(string? text, string field, int fallback, int min, int max, List<InputError> errors)
    {
        if (text is null) return fallback;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max) return n;
        errors.Add(new InputError(null, field, $"must be a whole number from {min} to {max:N0}"));
        return fallback;
    }

    private ProblemHttpResult Rejected(IReadOnlyList<InputError> errors)
    {
        Log.RequestRejected(logger, StatusCodes.Status400BadRequest, "invalid change query");
        return Problems.BadRequest("Invalid change query", $"The query has {errors.Count} problem(s); see errors.", errors);
    }
}
