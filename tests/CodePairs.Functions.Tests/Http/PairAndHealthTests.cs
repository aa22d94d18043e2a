using CodePairs.Functions.Http;
using Microsoft.Extensions.Logging.Abstractions;
using static CodePairs.Functions.Tests.Http.HttpTestKit;

namespace CodePairs.Functions.Tests.Http;

public class PairFunctionsTests
{
    private static PairFunctions Function(bool loaded = true)
        => new(ActiveRules(loaded ? Loaded() : null).Object, Api(), TimeProvider.System, NullLogger<PairFunctions>.Instance);

    [Fact]
    public async Task ShowsBothDirectionsOfASwappedPair()
    {
        var request = Request("GET", query: "?date=2015-06-01&setting=practitioner");
        var (status, body, _) = await Execute(await Function().Check(request, "36000", "36410", default), request);
        Assert.Equal(200, status);
        var edits = body.GetProperty("edits").EnumerateArray().ToArray();
        Assert.Equal(2, edits.Length);
        Assert.Equal("36000", edits[0].GetProperty("column1").GetString());
        Assert.Equal("36410", edits[1].GetProperty("column1").GetString());
        Assert.All(edits, e => Assert.True(e.GetProperty("inForce").GetBoolean()));
        Assert.Contains("denied", body.GetProperty("summary").GetString());
        Assert.Equal("v322r0", body.GetProperty("ptpTable").GetProperty("version").GetString());
    }

    [Fact]
    public async Task ModifiersInTheQueryBypassAnIndicatorOneEdit()
    {
        var request = Request("GET", query: "?date=2026-08-03&modifiers2=XU");
        var (_, body, _) = await Execute(await Function().Check(request, "62323", "77003", default), request);
        var rules = body.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("rule").GetString());
        Assert.Contains("ptp.bypassed", rules);
        Assert.DoesNotContain("ptp.indicator-1", rules);
    }

    [Fact]
    public async Task AcceptsTheQueryAsAJsonBody()
    {
        var request = Request("POST", """{"dateOfService":"2026-08-03","setting":"hospital"}""");
        var (status, body, _) = await Execute(await Function().Check(request, "13121", "13120", default), request);
        Assert.Equal(200, status);
        Assert.Equal("hospital", body.GetProperty("setting").GetString());
        Assert.Equal(1, body.GetProperty("edits")[0].GetProperty("modifierIndicator").GetInt32());
    }

    [Fact]
    public async Task SaysSoWhenNoEditExists()
    {
        var request = Request("GET", query: "?date=2026-08-03");
        var (_, body, _) = await Execute(await Function().Check(request, "13120", "62323", default), request);
        Assert.Empty(body.GetProperty("edits").EnumerateArray());
        Assert.StartsWith("No PTP edit between 13120 and 62323", body.GetProperty("summary").GetString());
    }

    [Theory]
    [InlineData("1312", "13120", "?date=2026-08-03", 1, "code")]
    [InlineData("13121", "13120", "?date=2026-02-30", null, "dateOfService")]
    [InlineData("13121", "13120", "?setting=asc", null, "setting")]
    [InlineData("13121", "13120", "?modifiers1=5", 1, "modifiers")]
    public async Task RejectsABadPairQuery(string code1, string code2, string query, int? line, string field)
    {
        var request = Request("GET", query: query);
        var (status, body, _) = await Execute(await Function().Check(request, code1, code2, default), request);
        Assert.Equal(400, status);
        var error = Assert.Single(body.GetProperty("errors").EnumerateArray());
        Assert.Equal(field, error.GetProperty("field").GetString());
        if (line is null) Assert.False(error.TryGetProperty("line", out _)); // claim-level problems carry no line
        else Assert.Equal(line, error.GetProperty("line").GetInt32());
    }

    [Fact]
    public async Task Answers503WhenNoRuleSetIsLoaded()
    {
        var request = Request("GET", query: "?date=2026-08-03");
        var (status, _, headers) = await Execute(await Function(loaded: false).Check(request, "13121", "13120", default), request);
        Assert.Equal(503, status);
        Assert.False(string.IsNullOrEmpty(headers.RetryAfter));
    }
}

public class HealthFunctionTests
{
    [Fact]
    public async Task ReportsTheLoadedRuleSetAndItsTablesInForce()
    {
        var request = Request("GET");
        var (status, body, _) = await Execute(new HealthFunction(ActiveRules(Loaded()).Object).Run(request), request);
        Assert.Equal(200, status);
        Assert.True(body.GetProperty("ruleSetLoaded").GetBoolean());
        Assert.Equal("rs-000000000322", body.GetProperty("ruleSet").GetString());
        Assert.Contains(body.GetProperty("tablesInForce").EnumerateArray(), t => t.GetProperty("table").GetString() == "ptp-practitioner");
    }

    [Fact]
    public async Task IsAliveWithoutARuleSet()
    {
        var request = Request("GET");
        var (status, body, _) = await Execute(new HealthFunction(ActiveRules(null).Object).Run(request), request);
        Assert.Equal(200, status);
        Assert.Equal("alive", body.GetProperty("status").GetString());
        Assert.False(body.GetProperty("ruleSetLoaded").GetBoolean());
    }
}

public class ChangeFunctionsTests
{
    private static ChangeFunctions Function(bool loaded = true)
        => new(ActiveRules(loaded ? Loaded() : null).Object, Api(), Microsoft.Extensions.Logging.Abstractions.NullLogger<ChangeFunctions>.Instance);

    [Fact]
    public async Task ListsWhatChangedBetweenTwoDatesForTheCodesAsked()
    {
        var request = Request("GET", query: "?table=ptp-practitioner&from=2025-12-31&to=2026-01-01&codes=11042");
        var (status, body, _) = await Execute(await Function().Changes(request, default), request);
        Assert.Equal(200, status);
        var change = Assert.Single(body.GetProperty("changes").EnumerateArray());
        Assert.Equal(("revised", "11042", "97597"), (change.GetProperty("kind").GetString(), change.GetProperty("code").GetString(), change.GetProperty("other").GetString()));
        Assert.Equal(1, body.GetProperty("counts").GetProperty("revised").GetInt32());
        Assert.Equal(1, body.GetProperty("total").GetInt32());
        Assert.Equal("rs-000000000322", body.GetProperty("ruleSet").GetString());
        Assert.False(body.TryGetProperty("next", out _));
    }

    [Fact]
    public async Task PagesALongReportWithALinkToTheNextPage()
    {
        var request = Request("GET", query: "?table=ptp-practitioner&from=2015-01-01&to=2026-08-03&limit=1");
        var (status, body, _) = await Execute(await Function().Changes(request, default), request);
        Assert.Equal(200, status);
        Assert.True(body.GetProperty("total").GetInt32() > 1);
        Assert.Equal(1, body.GetProperty("changes").GetArrayLength());
        Assert.Contains("offset=1", body.GetProperty("next").GetString());
    }

    [Theory]
    [InlineData("?from=2026-01-01&to=2026-02-01", "table")]
    [InlineData("?table=ptp&from=2026-01-01&to=2026-02-01", "table")]
    [InlineData("?table=aoc&from=yesterday&to=2026-02-01", "from")]
    [InlineData("?table=aoc&from=2026-01-01", "to")]
    [InlineData("?table=aoc&from=2026-01-01&to=2026-02-01&codes=1234", "codes")]
    [InlineData("?table=aoc&from=2026-01-01&to=2026-02-01&limit=0", "limit")]
    public async Task AMalformedQueryIsA400NamingTheField(string query, string field)
    {
        var request = Request("GET", query: query);
        var (status, body, _) = await Execute(await Function().Changes(request, default), request);
        Assert.Equal(400, status);
        Assert.Contains(body.GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == field);
    }

    [Fact]
    public async Task WithoutARuleSetItIs503()
    {
        var request = Request("GET", query: "?table=aoc&from=2026-01-01&to=2026-02-01");
        var (status, _, _) = await Execute(await Function(loaded: false).Changes(request, default), request);
        Assert.Equal(503, status);
    }
}
