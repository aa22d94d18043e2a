using CodePairs.Functions.RuleSets;
using CodePairs.Rules;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodePairs.Functions.Http;

/// <summary>GET /api/v1/codes/{code}?date=&amp;setting=&amp;history=: what the release in force says about one code.</summary>
public sealed class CodeFunctions(IActiveRules rules, IOptions<ApiOptions> options, TimeProvider clock, ILogger<CodeFunctions> logger)
{
    [Function("CodeProfile")]
    public async Task<Results<Ok<CodeProfile>, ProblemHttpResult, RetryAfterProblem>> Profile(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/codes/{code}")] HttpRequest request,
        string code, CancellationToken cancellationToken)
    {
        var errors = new List<InputError>();
        if (!HcpcsCode.TryParse(code, out var parsed, out var codeError)) errors.Add(new InputError(null, "code", codeError));
        var date = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (request.Query["date"].FirstOrDefault() is { } dateText && !ClaimParser.TryParseDate(dateText, out date, out var dateError))
            errors.Add(new InputError(null, "date", dateError!));
        var setting = Setting.Practitioner;
        if (request.Query["setting"].FirstOrDefault() is { } settingText && !SettingNames.TryParse(settingText, out setting))
            errors.Add(new InputError(null, "setting", SettingNames.NotASetting(settingText)));
        var history = request.Query["history"].FirstOrDefault() is "true" or "1";
        if (errors.Count > 0)
        {
            Log.RequestRejected(logger, StatusCodes.Status400BadRequest, "invalid code query");
            return Problems.BadRequest("Invalid code query", $"The query has {errors.Count} problem(s); see errors.", errors);
        }

        var (loaded, unavailable) = await rules.LoadedAsync(options.Value, logger, cancellationToken);
        if (loaded is null) return unavailable!;
        var profile = loaded.Rules.Profile(parsed, date, setting, history);
        if (profile.Known) return TypedResults.Ok(profile);
        return Problems.NotFound("Unknown code", $"{parsed} appears in no NCCI table of the rule set in force ({string.Join(", ", profile.Tables.Select(t => t.ToString()))}): it may be deleted, not yet effective, or mistyped.");
    }
}
