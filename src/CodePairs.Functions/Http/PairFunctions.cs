using System.Text.Json.Serialization;
using CodePairs.Functions.RuleSets;
using CodePairs.Rules;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodePairs.Functions.Http;

/// <summary>GET|POST /api/v1/pairs/{code1}/{code2}: both directions' PTP rows and what they mean for the pair.</summary>
public sealed class PairFunctions(IActiveRules rules, IOptions<ApiOptions> options, TimeProvider clock, ILogger<PairFunctions> logger)
{
    [Function("CheckPair")]
    public async Task<IResult> Check(
        [HttpTrigger(AuthorizationLevel.Function, "get", "post", Route = "v1/pairs/{code1}/{code2}")] HttpRequest request,
        string code1, string code2, CancellationToken cancellationToken)
    {
        PairQuery query;
        if (HttpMethods.IsPost(request.Method))
        {
            var (body, problem) = await JsonBody.ReadAsync<PairQuery>(request, options.Value.MaxClaimBytes, cancellationToken);
            if (problem is not null) return Rejected(problem);
            query = body!;
        }
        else
        {
            query = new PairQuery
            {
                DateOfService = request.Query["date"].FirstOrDefault(),
                Setting = request.Query["setting"].FirstOrDefault(),
                Modifiers1 = Split(request.Query["modifiers1"].FirstOrDefault()),
                Modifiers2 = Split(request.Query["modifiers2"].FirstOrDefault()),
            };
        }

        var input = new ClaimInput
        {
            Setting = query.Setting ?? "practitioner",
            DateOfService = query.DateOfService ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).ToString(ClaimParser.DateFormat),
            Lines = [new ClaimLineInput { Code = code1, Modifiers = query.Modifiers1 }, new ClaimLineInput { Code = code2, Modifiers = query.Modifiers2 }],
        };
        var (claim, errors) = ClaimParser.Parse(input);
        if (claim is null)
            return Rejected(Problems.BadRequest("Invalid pair query", $"The query has {errors.Count} problem(s); see errors (line 1 = code1, line 2 = code2).", errors));

        var (loaded, unavailable) = await rules.LoadedAsync(options.Value, logger, cancellationToken);
        if (loaded is null) return unavailable!;

        var (a, b) = (claim.Lines[0].Code, claim.Lines[1].Code);
        var (version, edits) = loaded.Rules.PairEdits(a, b, claim.Setting, claim.DateOfService);
        var table = CodePairs.Rules.Tables.Ptp(claim.Setting).Name();
        var result = loaded.Validator.Validate(claim);
        var ptp = result.Findings.Where(f => f.Kind == FindingKind.Ptp).ToArray();
        var summary = ptp.Length == 0
            ? version is null
                ? $"PTP edits between {a} and {b} were not checked: no {table} table is loaded."
                : $"No PTP edit between {a} and {b} is in force on {claim.DateOfService:yyyy-MM-dd} in the {table} table {version.Version}."
            : string.Join(" ", ptp.Select(f => f.Message));
        return TypedResults.Ok(new PairResponse(
            a.ToString(), b.ToString(), claim.DateOfService, claim.Setting.ToName(), version?.Source,
            edits.Select(e => new PairEdit(e.Column1.ToString(), e.Column2.ToString(), (int)e.Indicator, e.Effective, e.Deletion, e.Rationale,
                e.PriorTo1996, e.InForceOn(claim.DateOfService))).ToArray(),
            summary, result.Findings, result.TablesUsed));
    }

    private IResult Rejected(IResult problem)
    {
        Log.RequestRejected(logger, (problem as IStatusCodeHttpResult)?.StatusCode ?? 400, "invalid pair query");
        return problem;
    }

    private static List<string>? Split(string? csv)
        => string.IsNullOrWhiteSpace(csv) ? null : csv.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
}

public sealed class PairQuery
{
    [JsonPropertyName("dateOfService")] public string? DateOfService { get; set; }
    [JsonPropertyName("setting")] public string? Setting { get; set; }
    [JsonPropertyName("modifiers1")] public List<string>? Modifiers1 { get; set; }
    [JsonPropertyName("modifiers2")] public List<string>? Modifiers2 { get; set; }
}

/// <summary>A PTP row of the pair, and whether it is an edit on the date asked about.</summary>
public sealed record PairEdit(string Column1, string Column2, int ModifierIndicator, DateOnly Effective, DateOnly? Deletion,
    string Rationale, bool PriorTo1996, bool InForce);

/// <param name="PtpTable">The PTP table version the edits were read from (null when none is loaded for the setting).</param>
public sealed record PairResponse(string Code1, string Code2, DateOnly DateOfService, string Setting, RuleSource? PtpTable,
    IReadOnlyList<PairEdit> Edits, string Summary, IReadOnlyList<Finding> Findings, IReadOnlyList<RuleSource> TablesUsed);
