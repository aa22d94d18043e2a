using CodePairs.Rules.X12;

namespace CodePairs.Rules.Tests.X12;

public class X12PrivacyTests
{
    [Theory]
    [InlineData("professional.837")]
    [InlineData("institutional.837")]
    public void ResultsAndRejectionsHoldTheClaimIdsAndCodesAndNoOtherElementOfTheFile(string name)
    {
        var sample = X12Samples.Text(name);
        var (results, rejected, summary) = X12Samples.Check(sample, includeInfo: true);
        Assert.Contains(name == "professional.837" ? "PCN-P-0001" : "PCN-I-0001", results); // claim ids and codes are what results are for
        X12Privacy.AssertNoneIn(sample, [("results", results), ("rejected", rejected), ("summary", summary.ToString())]);
    }

    [Fact]
    public void TheCheckItselfWouldSeeAPrivateValueThatLeaked()
    {
        var sample = X12Samples.Text("professional.837");
        Assert.Contains("MBRFAKE0001", X12Privacy.Forbidden(sample));
        Assert.Contains("2026-08-03", X12Privacy.Forbidden(sample)); // a date of service, in the form messages would use
        Assert.DoesNotContain("PCN-P-0001", X12Privacy.Forbidden(sample));
        Assert.ThrowsAny<Exception>(() => X12Privacy.AssertNoneIn(sample, [("leak", "claim PCN-P-0001 of TESTPATIENT")]));
    }

    [Fact]
    public void AMessageKeepsAnEditsDatesButNoDateOfServiceOfTheClaim()
    {
        var dos = new DateOnly(2026, 8, 3);
        var claim = new Claim(Setting.Practitioner, dos, [TestRules.Line("99291") with { DateOfService = dos }, TestRules.Line("99292") with { DateOfService = dos.AddDays(2) }], "PCN-X");
        var finding = new Finding
        {
            Kind = FindingKind.Mue, Severity = Severity.Warning, Rule = "test", Lines = [1, 2], Codes = ["99291"],
            Message = "An edit in force since 2026-08-03 (in force 2026-08-03 to 2026-08-05; starts 2026-08-05): 2 units on 2026-08-03, " +
                      "the lines dated 2026-08-05 and a version in force on 2026-08-05.",
        };
        var info = new X12ClaimInfo(10, 2, [1, 2], null, []);
        Assert.Equal("An edit in force since 2026-08-03 (in force 2026-08-03 to 2026-08-05; starts 2026-08-05): 2 units on the date of service, " +
                     "the lines of that date of service and a version in force on the date of service.", X12Results.Message(info, claim, finding));
    }
}
