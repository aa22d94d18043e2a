using CodePairs.Functions.Http;
using Microsoft.Extensions.Logging.Abstractions;
using static CodePairs.Functions.Tests.Http.HttpTestKit;

namespace CodePairs.Functions.Tests.Http;

public class ClaimFunctionsTests
{
    private const string Claim6223And77003 = """
        {"claimId":"CLM-000123","setting":"practitioner","dateOfService":"2026-08-03",
         "lines":[{"code":"62323","units":1},{"code":"77003","modifiers":["26"],"units":1}]}
        """;

    private static ClaimFunctions Function(bool loaded = true, Action<ApiOptions>? options = null, List<string>? logs = null)
        => new(ActiveRules(loaded ? Loaded() : null).Object, Api(options),
            logs is null ? NullLogger<ClaimFunctions>.Instance : Logger<ClaimFunctions>(logs));

    [Fact]
    public async Task ReturnsFindingsForAClaimWithAnEdit()
    {
        var request = Request("POST", Claim6223And77003);
        var (status, body, _) = await Execute(await Function().Validate(request, default), request);
        Assert.Equal(200, status);
        Assert.Equal("CLM-000123", body.GetProperty("claimId").GetString());
        Assert.False(body.GetProperty("clean").GetBoolean());
        var rules = body.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("rule").GetString()).ToArray();
        Assert.Contains("ptp.indicator-1", rules);
        Assert.Contains("pack.not-with", rules);
        var ptp = body.GetProperty("findings").EnumerateArray().First(f => f.GetProperty("rule").GetString() == "ptp.indicator-1");
        Assert.Equal("bypassable", ptp.GetProperty("severity").GetString());
        Assert.Equal("ptp", ptp.GetProperty("kind").GetString());
        Assert.Equal("2017-01-01", ptp.GetProperty("ptp").GetProperty("effective").GetString());
        Assert.Equal(2, ptp.GetProperty("deniedLines")[0].GetInt32());
        Assert.Contains("XU", ptp.GetProperty("fix").GetProperty("bypassModifiers").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("v322r0", body.GetProperty("tablesUsed")[0].GetProperty("version").GetString());
    }

    [Fact]
    public async Task SaysCleanForACleanClaim()
    {
        var request = Request("POST", """{"setting":"practitioner","dateOfService":"2026-08-03","lines":[{"code":"11042"},{"code":"11045"}]}""");
        var (status, body, _) = await Execute(await Function().Validate(request, default), request);
        Assert.Equal(200, status);
        Assert.True(body.GetProperty("clean").GetBoolean());
        Assert.False(body.TryGetProperty("claimId", out _));
    }

    [Theory]
    [InlineData("{\"setting\":", "Malformed JSON")]
    [InlineData("[1,2", "Malformed JSON")]
    [InlineData("{\"setting\":\"practitioner\",\"dateOfService\":\"2026-08-03\",\"lines\":[{\"code\":\"77003\",\"units\":\"two\"}]}", "Malformed JSON")]
    [InlineData("{\"setting\":\"practitioner\",\"dateOfService\":\"2026-08-03\",\"lines\":[],\"extra\":1}", "Malformed JSON")]
    [InlineData("{\"setting\":\"clinic\",\"dateOfService\":\"2026-08-03\",\"lines\":[{\"code\":\"77003\"}]}", "Invalid claim")]
    [InlineData("{\"setting\":\"practitioner\",\"dateOfService\":\"2026-08-03\",\"lines\":[{\"code\":\"7700\"}]}", "Invalid claim")]
    public async Task RejectsBadInputWithProblemDetails(string json, string title)
    {
        var request = Request("POST", json);
        var (status, body, headers) = await Execute(await Function().Validate(request, default), request);
        Assert.Equal(400, status);
        Assert.Equal("application/problem+json", headers.ContentType.ToString());
        Assert.Equal(title, body.GetProperty("title").GetString());
        Assert.Equal(400, body.GetProperty("status").GetInt32());
        Assert.StartsWith("https://codepairs.dev/problems/", body.GetProperty("type").GetString());
    }

    [Fact]
    public async Task NamesTheLineFieldAndReasonOfABadCode()
    {
        var request = Request("POST", """{"setting":"practitioner","dateOfService":"2026-08-03","lines":[{"code":"62323"},{"code":"7700X"}]}""");
        var (_, body, _) = await Execute(await Function().Validate(request, default), request);
        var error = Assert.Single(body.GetProperty("errors").EnumerateArray());
        Assert.Equal(2, error.GetProperty("line").GetInt32());
        Assert.Equal("code", error.GetProperty("field").GetString());
        Assert.Contains("is not a CPT/HCPCS code", error.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task RefusesMoreLinesThanTheLimit()
    {
        var lines = string.Join(',', Enumerable.Repeat("{\"code\":\"77003\"}", 101));
        var request = Request("POST", $$"""{"setting":"practitioner","dateOfService":"2026-08-03","lines":[{{lines}}]}""");
        var (status, body, _) = await Execute(await Function().Validate(request, default), request);
        Assert.Equal(400, status);
        Assert.Contains("at most 100 lines", body.GetProperty("errors")[0].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task RefusesABodyOverTheSizeLimit()
    {
        var request = Request("POST", "{\"claimId\":\"" + new string('x', 70_000) + "\"}");
        var (status, body, _) = await Execute(await Function().Validate(request, default), request);
        Assert.Equal(413, status);
        Assert.Contains("65536 bytes", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task RefusesANonJsonBody()
    {
        var request = Request("POST", "claim_id,code", contentType: "text/csv");
        var (status, _, _) = await Execute(await Function().Validate(request, default), request);
        Assert.Equal(415, status);
    }

    [Fact]
    public async Task Answers503WithRetryAfterWhenNoRuleSetIsLoaded()
    {
        var request = Request("POST", Claim6223And77003);
        var (status, body, headers) = await Execute(await Function(loaded: false).Validate(request, default), request);
        Assert.Equal(503, status);
        Assert.Equal("30", headers.RetryAfter.ToString());
        Assert.Equal("No rule set loaded", body.GetProperty("title").GetString());
    }

    [Fact]
    public async Task LogsNeitherClaimIdsNorDatesNorCodes()
    {
        var logs = new List<string>();
        var function = Function(logs: logs);
        foreach (var json in new[] { Claim6223And77003, """{"claimId":"CLM-000123","setting":"practitioner","dateOfService":"2026-08-03","lines":[{"code":"7700X"}]}""" })
        {
            var request = Request("POST", json);
            await Execute(await function.Validate(request, default), request);
        }
        Assert.Equal(2, logs.Count);
        Assert.All(logs, line =>
        {
            Assert.DoesNotContain("CLM-000123", line);
            Assert.DoesNotContain("2026-08-03", line);
            Assert.DoesNotContain("62323", line);
            Assert.DoesNotContain("77003", line);
            Assert.DoesNotContain("7700X", line);
        });
    }
}
