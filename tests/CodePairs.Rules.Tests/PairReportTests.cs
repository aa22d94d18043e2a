using static CodePairs.Rules.Tests.TestRules;

namespace CodePairs.Rules.Tests;

public class PairReportTests
{
    private static readonly DateOnly Today = new(2026, 8, 3);

    private static PairReport Report(string code1, string code2, PairQuery query)
    {
        var (claim, errors) = PairReport.Parse(code1, code2, query, Today);
        Assert.Empty(errors);
        return PairReport.For(new ClaimValidator(Set.Value), claim!);
    }

    [Fact]
    public void ShowsBothDirectionsAndSumsUpWithTheFindings()
    {
        var r = Report("36000", "36410", new PairQuery { DateOfService = "2015-06-01" });
        Assert.Equal(["36000", "36410"], r.Edits.Select(e => e.Column1));
        Assert.All(r.Edits, e => Assert.True(e.InForce));
        Assert.Equal(string.Join(" ", r.Result.Findings.Where(f => f.Kind == FindingKind.Ptp).Select(f => f.Message)), r.Summary);
        Assert.Equal((Setting.Practitioner, "v322r0"), (r.Setting, r.PtpTable!.Version));
    }

    [Fact]
    public void WithoutADateAsksAboutTodayAndSaysSoWhenNoEditIsInForce()
    {
        var r = Report("13120", "62323", new PairQuery());
        Assert.Equal(Today, r.DateOfService);
        Assert.Empty(r.Edits);
        Assert.Equal($"No PTP edit between 13120 and 62323 is in force on 2026-08-03 in the ptp-practitioner table {r.PtpTable!.Version}.", r.Summary);
    }

    [Fact]
    public void AQueryWithProblemsNamesEachByLine()
    {
        var (claim, errors) = PairReport.Parse("1312", "13120", new PairQuery { Setting = "asc", Modifiers2 = ["5"] }, Today);
        Assert.Null(claim);
        Assert.Equal(new (int?, string)[] { (null, "setting"), (1, "code"), (2, "modifiers") }, errors.Select(e => (e.Line, e.Field)).OrderBy(e => e.Line ?? 0));
    }
}
