using CodePairs.Functions.Http;
using CodePairs.Functions.RuleSets;
using CodePairs.Functions.Tests.Storage;
using CodePairs.Rules;
using CodePairs.Rules.Generation;
using CodePairs.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static CodePairs.Functions.Tests.Http.HttpTestKit;

namespace CodePairs.Functions.Tests.Integration;

/// <summary>The README's curl examples, against the release scripts/run.sh publishes (generated small, seed 1),
/// through the same publisher, source, cache and functions (the host itself cannot run here).</summary>
public sealed class ReadmeExamplesTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task TheReadmeRequestsAnswerAsTheReadmeSays()
    {
        var stack = new StorageStack(azurite);
        await stack.Publisher.PublishAsync(ReleaseGenerator.Build(GeneratorOptions.Small(seed: 1)).Build(), "test");
        var cache = stack.Cache;

        var claims = new ClaimFunctions(cache, Api(), NullLogger<ClaimFunctions>.Instance);
        var request = Request("POST", """
            {"claimId":"A-1","setting":"practitioner","dateOfService":"2026-08-03",
             "lines":[{"code":"61006","units":1},{"code":"68895","modifiers":["26"],"units":1},{"code":"77003"}]}
            """);
        var (status, body, _) = await Execute(await claims.Validate(request, default), request);
        Assert.Equal(200, status);
        var rules = body.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("rule").GetString()).ToArray();
        Assert.Contains("ptp.indicator-1", rules);
        Assert.Contains("pack.add-on-no-primary", rules);

        var batch = Request("POST", """
            [{"claimId":"A-1","setting":"practitioner","dateOfService":"2026-08-03","lines":[{"code":"61006"},{"code":"68895"}]},
                   {"claimId":"A-2","setting":"practitioner","dateOfService":"2026-08-03","lines":[{"code":"7700X"}]}]
            """);
        var (batchStatus, answers, _) = await Execute(await claims.Validate(batch, default), batch);
        Assert.Equal(200, batchStatus);
        Assert.Contains(answers[0].GetProperty("findings").EnumerateArray(), f => f.GetProperty("rule").GetString() == "ptp.indicator-1");
        Assert.Equal(("A-2", "Invalid claim"), (answers[1].GetProperty("claimId").GetString(), answers[1].GetProperty("problem").GetProperty("title").GetString()));

        var lines = Request("POST", """
            {"claimId":"A-1","setting":"practitioner","dateOfService":"2026-08-03","lines":[{"code":"61006"},{"code":"68895"}]}
            {"claimId":"A-2","setting":"practitioner","dateOfService":"2026-08-03","lines":[{"code":"G7128"}]}

            """, contentType: "application/x-ndjson");
        var linesResult = await claims.Validate(lines, default);
        await linesResult.ExecuteAsync(lines.HttpContext);
        lines.HttpContext.Response.Body.Position = 0;
        var answered = (await new StreamReader(lines.HttpContext.Response.Body).ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal([1, 2], answered.Select(a => a.GetProperty("line").GetInt32()));
        Assert.Contains(answered[1].GetProperty("findings").EnumerateArray(), f => f.GetProperty("rule").GetString() == "aoc.type-1-no-primary");

        var pairs = new PairFunctions(cache, Api(), TimeProvider.System, NullLogger<PairFunctions>.Instance);
        var pairRequest = Request("GET", query: "?date=2026-08-03&setting=practitioner&modifiers2=XU");
        var (_, pair, _) = await Execute(await pairs.Check(pairRequest, "61006", "68895", default), pairRequest);
        Assert.Contains(pair.GetProperty("findings").EnumerateArray(), f => f.GetProperty("rule").GetString() == "ptp.bypassed");

        var codes = new CodeFunctions(cache, Api(), TimeProvider.System, NullLogger<CodeFunctions>.Instance);
        var codeRequest = Request("GET", query: "?date=2026-08-03");
        var (codeStatus, profile, _) = await Execute(await codes.Profile(codeRequest, "G7128", default), codeRequest);
        Assert.Equal(200, codeStatus);
        Assert.Equal(1, profile.GetProperty("addOn").GetProperty("type").GetInt32());
        Assert.Contains(profile.GetProperty("addOn").GetProperty("eligiblePrimaries").EnumerateArray(), p => p.GetString()!.StartsWith("0106T"));
    }
}
