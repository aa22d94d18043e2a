using static CodePairs.Rules.Tests.TestRules;

namespace CodePairs.Rules.Tests;

public class AddOnTests
{
    [Fact]
    public void TypeOneWithoutPrimaryIsDeniedAndNamesThePrimaries()
    {
        var r = Check(Line("11045"));
        var f = r.Single("aoc.type-1-no-primary");
        Assert.Equal(Severity.Deny, f.Severity);
        Assert.Equal([1], f.DeniedLines);
        // 97597 was deleted as a primary on 2023-12-31, so only 11042-11043 remain: compressed into a range.
        Assert.Equal(["11042-11043"], f.Fix.EligiblePrimaries);
        Assert.Equal(1, f.AddOn!.Type);
        Assert.Equal("aoc", f.Source!.Table);
        Assert.Equal("AOC_V2026Q3", f.Source.Version);
    }

    [Fact]
    public void TypeOneWithPrimaryOnTheSameDateIsSatisfied()
        => Assert.DoesNotContain(Check(Line("11042"), Line("11045")).Findings, f => f.Kind == FindingKind.AddOn);

    [Fact]
    public void TypeOneWithPrimaryOnAnotherDateIsDenied()
    {
        var claim = new Claim(Setting.Practitioner, Dos, [Line("11042") with { DateOfService = Dos.AddDays(-1) }, Line("11045")]);
        Assert.Equal(Severity.Deny, Validator().Validate(claim).Single("aoc.type-1-no-primary").Severity);
    }

    [Fact]
    public void DeletedPrimaryNoLongerSatisfiesTheAddOn()
    {
        var before = Validator().Validate(ClaimOn(new DateOnly(2023, 12, 31), Line("97597"), Line("11045")));
        Assert.DoesNotContain(before.Findings, f => f.Kind == FindingKind.AddOn);
        var after = Validator().Validate(ClaimOn(new DateOnly(2024, 1, 1), Line("97597"), Line("11045")));
        Assert.Equal(Severity.Deny, after.Single("aoc.type-1-no-primary").Severity);
    }

    [Fact]
    public void DeletedEditNoLongerApplies()
    {
        Assert.Equal(Severity.Deny, Validator().Validate(ClaimOn(new DateOnly(2025, 12, 31), Line("15847"))).Single("aoc.type-1-no-primary").Severity);
        Assert.DoesNotContain(Validator().Validate(ClaimOn(new DateOnly(2026, 1, 1), Line("15847"))).Findings, f => f.Kind == FindingKind.AddOn);
    }

    [Fact]
    public void TypeTwoIsNeverCleanNorDenied()
    {
        foreach (var r in new[] { Check(Line("0592T")), Check(Line("99291"), Line("0592T")) })
        {
            var f = r.Single("aoc.type-2");
            Assert.Equal(Severity.Warning, f.Severity);
            Assert.Empty(f.DeniedLines);
            Assert.Contains("CMS lists no eligible primary codes", f.Message);
            Assert.False(r.Clean);
        }
    }

    [Fact]
    public void TypeThreeWithoutListedPrimaryWarnsThatTheContractorMayAcceptOthers()
    {
        var r = Check(Line("22552"));
        var f = r.Single("aoc.type-3-no-listed-primary");
        Assert.Equal(Severity.Warning, f.Severity);
        Assert.Equal(["22551", "22554"], f.Fix.EligiblePrimaries);
        Assert.Contains("contractor may accept other primaries", f.Message);
    }

    [Fact]
    public void TypeThreeWithListedPrimaryIsSatisfied()
        => Assert.DoesNotContain(Check(Line("22554"), Line("22552")).Findings, f => f.Kind == FindingKind.AddOn);
}

public class MueTests
{
    [Fact]
    public void LineEditJudgesEachLine()
    {
        // 17281: MUE 2, MAI 1. Two lines of 2 units each pass; a line of 3 is denied on its own.
        Assert.DoesNotContain(Check(Line("17281", 2), Line("17281", 2)).Findings, f => f.Rule == "mue.line");
        var r = Check(Line("17281", 2), Line("17281", 3));
        var f = r.Single("mue.line");
        Assert.Equal([2], f.DeniedLines);
        Assert.Equal(2, f.Fix.UnitsAllowed);
        Assert.Equal(3, f.Mue!.UnitsBilled);
        Assert.Equal("1 Line Edit", f.Mue.Adjudication);
    }

    [Fact]
    public void PolicyDateOfServiceEditSumsUnitsAcrossLines()
    {
        Assert.DoesNotContain(Check(Line("62323", 1)).Findings, f => f.Kind == FindingKind.Mue);
        var r = Check(Line("62323", 1), Line("62323", 1));
        var f = r.Single("mue.dos-policy");
        Assert.Equal([1, 2], f.DeniedLines);
        Assert.Equal(2, f.Mue!.UnitsBilled);
        Assert.Equal(1, f.Fix.UnitsAllowed);
        Assert.Contains("not overturned on appeal", f.Fix.Action);
    }

    [Fact]
    public void ClinicalDateOfServiceEditMentionsAppeal()
    {
        var f = Check(Line("11042"), Line("11045", 7), Line("11045", 6)).Single("mue.dos-clinical");
        Assert.Equal(13, f.Mue!.UnitsBilled);
        Assert.Equal(12, f.Fix.UnitsAllowed);
        Assert.Contains("appealed", f.Fix.Action);
    }

    [Fact]
    public void DateOfServiceEditDoesNotSumAcrossDates()
    {
        var claim = new Claim(Setting.Practitioner, Dos, [Line("62323"), Line("62323") with { DateOfService = Dos.AddDays(1) }]);
        Assert.DoesNotContain(Validator().Validate(claim).Findings, f => f.Rule == "mue.dos-policy");
    }

    [Fact]
    public void ZeroMeansNotPayable()
    {
        var f = Check(Line("0591T", 1)).Single("mue.not-payable");
        Assert.Equal(Severity.Deny, f.Severity);
        Assert.Equal(0, f.Fix.UnitsAllowed);
    }

    [Fact]
    public void MissingMueIsReportedNeverPassed()
    {
        var r = Check(Line("17000", 40));
        var f = r.Single("mue.none-published");
        Assert.Equal(Severity.Info, f.Severity);
        Assert.Contains("no published MUE", f.Message);
        Assert.Equal(40, f.Mue!.UnitsBilled);
        Assert.Null(f.Mue.Value);
    }

    [Fact]
    public void HospitalSettingWithoutAHospitalMueTableSaysSo()
    {
        var r = Validator().Validate(new Claim(Setting.Hospital, Dos, [Line("62323")]));
        Assert.Contains("No mue-hospital table is loaded", r.Single("mue.not-checked").Message);
        Assert.False(r.Clean);
        Assert.DoesNotContain(r.Findings, f => f.Rule == "mue.none-published");
    }
}

public class InputTests
{
    [Fact]
    public void UnknownCodeIsAWarningNotAPass()
    {
        var r = Check(Line("99499"));
        var f = r.Single("input.unknown-code");
        Assert.Equal(FindingKind.InvalidInput, f.Kind);
        Assert.Equal(Severity.Warning, f.Severity);
        Assert.False(r.Clean);
        Assert.DoesNotContain(r.Findings, x => x.Kind == FindingKind.Mue);
    }

    [Fact]
    public void ParserCollectsEveryProblemWithLineNumbers()
    {
        var input = new ClaimInput
        {
            Setting = "clinic",
            DateOfService = "2026-13-01",
            Lines =
            [
                new ClaimLineInput { Code = "7700" },
                new ClaimLineInput { Code = "77003", Modifiers = ["59", "XS", "LT", "RT", "25"], Units = 0 },
                new ClaimLineInput { Code = "62323", Modifiers = ["5"], DateOfService = "08/03/2026" },
            ],
        };
        var (claim, errors) = ClaimParser.Parse(input);
        Assert.Null(claim);
        var text = errors.Select(e => e.ToString()).ToArray();
        Assert.Contains(text, e => e.StartsWith("setting: 'clinic' is not a setting"));
        Assert.Contains(text, e => e.StartsWith("dateOfService: '2026-13-01' is not a date"));
        Assert.Contains(text, e => e.StartsWith("line 1: code: '7700' is 4 characters"));
        Assert.Contains(text, e => e.StartsWith("line 2: modifiers: a line carries at most 4 modifiers"));
        Assert.Contains(text, e => e.StartsWith("line 2: units: must be a whole number from 1 to 99999; got 0"));
        Assert.Contains(text, e => e.StartsWith("line 3: modifiers: '5' is not a modifier"));
        Assert.Contains(text, e => e.StartsWith("line 3: dateOfService: '08/03/2026' is not a date"));
    }

    [Fact]
    public void ParserRefusesTooManyLines()
    {
        var input = new ClaimInput { Setting = "practitioner", DateOfService = "2026-08-03", Lines = Enumerable.Range(0, 101).Select(_ => new ClaimLineInput { Code = "77003" }).ToList() };
        var (_, errors) = ClaimParser.Parse(input);
        Assert.Contains(errors, e => e.Reason.Contains("at most 100 lines"));
    }

    [Fact]
    public void ParserBuildsAClaimWithLineDatesAndDefaultUnits()
    {
        var input = new ClaimInput
        {
            Setting = "Hospital",
            Lines = [new ClaimLineInput { Code = "62323", DateOfService = "2026-08-04" }, new ClaimLineInput { Code = "77003", Modifiers = ["xu"], Units = 2, DateOfService = "2026-08-03" }],
        };
        var (claim, errors) = ClaimParser.Parse(input);
        Assert.Empty(errors);
        Assert.Equal(Setting.Hospital, claim!.Setting);
        Assert.Equal(new DateOnly(2026, 8, 3), claim.DateOfService);
        Assert.Equal(1, claim.Lines[0].Units);
        Assert.Equal("XU", claim.Lines[1].Modifiers[0].ToString());
        Assert.Equal(new DateOnly(2026, 8, 4), claim.DateOf(0));
    }

    [Fact]
    public void ParserRequiresADateSomewhere()
    {
        var (_, errors) = ClaimParser.Parse(new ClaimInput { Setting = "practitioner", Lines = [new ClaimLineInput { Code = "62323" }] });
        Assert.Contains(errors, e => e.ToString() == "line 1: dateOfService: is required when the claim has no dateOfService");
    }
}
