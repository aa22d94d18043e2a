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
}
