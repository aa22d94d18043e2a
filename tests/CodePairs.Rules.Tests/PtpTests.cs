using static CodePairs.Rules.Tests.TestRules;

namespace CodePairs.Rules.Tests;

public class PtpTests
{
    [Fact]
    public void DeniesColumnTwoOfAnIndicatorZeroEdit()
    {
        var r = Check(Line("13121"), Line("13120"));
        var f = r.Single("ptp.indicator-0");
        Assert.Equal(Severity.Deny, f.Severity);
        Assert.Equal([1, 2], f.Lines);
        Assert.Equal([2], f.DeniedLines);
        Assert.Equal(["13121", "13120"], f.Codes);
        Assert.Equal(0, f.Ptp!.ModifierIndicator);
        Assert.Equal("CPT Manual or CMS manual coding instruction", f.Ptp.Rationale);
        Assert.True(f.Ptp.PriorTo1996);
        Assert.Null(f.Ptp.Deletion);
        Assert.Equal(new RuleSource("ptp-practitioner", ReleaseId, ReleaseStart), f.Source);
        Assert.Null(f.Fix.BypassModifiers);
        Assert.Contains("Remove 13120 (line 2)", f.Fix.Action);
        Assert.False(r.Clean);
    }

    [Fact]
    public void IndicatorZeroIsNotBypassedByAnyModifier()
    {
        var r = Check(Line("13121", "59"), Line("13120", "XS", "LT"));
        Assert.Equal(Severity.Deny, r.Single("ptp.indicator-0").Severity);
    }

    [Fact]
    public void IndicatorOneWithoutModifierIsBypassableAndListsTheModifiers()
    {
        var r = Check(Line("62323"), Line("77003"));
        var f = r.Single("ptp.indicator-1");
        Assert.Equal(Severity.Bypassable, f.Severity);
        Assert.Equal([2], f.DeniedLines);
        Assert.Contains("XU", f.Fix.BypassModifiers!);
        Assert.Contains("59", f.Fix.BypassModifiers!);
        Assert.DoesNotContain("22", f.Fix.BypassModifiers!);
        Assert.DoesNotContain("76", f.Fix.BypassModifiers!);
        Assert.False(r.Clean);
    }

    [Fact]
    public void IndicatorOneIsBypassedByAModifierOnColumnOne()
    {
        var r = Check(Line("62323", "XS"), Line("77003"));
        var f = r.Single("ptp.bypassed");
        Assert.Equal(Severity.Info, f.Severity);
        Assert.Empty(f.DeniedLines);
        Assert.Contains("XS on line 1", f.Message);
        Assert.True(r.Clean);
    }

    [Fact]
    public void IndicatorOneIsBypassedByAModifierOnColumnTwo()
    {
        var r = Check(Line("62323"), Line("77003", "26", "59"));
        Assert.Contains("59 on line 2", r.Single("ptp.bypassed").Message);
        Assert.True(r.Clean);
    }

    [Theory]
    [InlineData("22")]
    [InlineData("76")]
    [InlineData("77")]
    [InlineData("GG")]
    public void IndicatorOneIsNotBypassedBy22_76_77_GG(string modifier)
    {
        var r = Check(Line("62323", modifier), Line("77003", modifier));
        var f = r.Single("ptp.indicator-1");
        Assert.Equal(Severity.Bypassable, f.Severity);
        Assert.Contains($"{modifier} on these lines does not bypass", f.Message);
    }

    [Fact]
    public void IndicatorNineRowsAreNoEdit()
    {
        // 17000/17281: an indicator-1 row 1999-07-01..2004-12-31 and an indicator-9 row on 1999-07-01 that never applies.
        var f = Assert.Single(ClaimOnDate(new DateOnly(1999, 7, 1), "17000", "17281").Findings, f => f.Kind == FindingKind.Ptp);
        Assert.Equal(1, f.Ptp!.ModifierIndicator); // the indicator-1 row, not the indicator-9 row of the same day
        Assert.Equal("Mutually exclusive procedures", f.Ptp.Rationale);
        var r = ClaimOnDate(new DateOnly(2026, 8, 3), "17000", "17281");
        Assert.DoesNotContain(r.Findings, f => f.Kind == FindingKind.Ptp);
    }

    [Theory]
    [InlineData("2021-12-31", false)] // day before effective
    [InlineData("2022-01-01", true)]  // effective date
    [InlineData("2023-12-31", true)]  // deletion date: last day in force
    [InlineData("2024-01-01", false)] // day after deletion
    public void EditAppliesFromEffectiveDateThroughDeletionDate(string dos, bool applies)
    {
        var r = ClaimOnDate(DateOnly.Parse(dos), "0001A", "0591T");
        Assert.Equal(applies, r.Findings.Any(f => f.Rule == "ptp.indicator-1" && f.Codes.SequenceEqual(["0001A", "0591T"])));
    }

    [Fact]
    public void DuplicateRowsWithDifferentWindowsAreJudgedByTheRowInForce()
    {
        var before = ClaimOnDate(new DateOnly(2025, 12, 31), "11042", "97597").Single("ptp.indicator-0");
        Assert.Equal(new DateOnly(2025, 12, 31), before.Ptp!.Deletion);
        var after = ClaimOnDate(new DateOnly(2026, 1, 1), "11042", "97597").Single("ptp.indicator-1");
        Assert.Equal(new DateOnly(2026, 1, 1), after.Ptp!.Effective);
        Assert.Null(after.Ptp.Deletion);
    }

    [Fact]
    public void OverlappingWindowsTakeTheStricterIndicator()
    {
        // 13121/13120 has an indicator-9 row on 1996-01-01 and an open indicator-0 row from the same day.
        var r = ClaimOnDate(new DateOnly(1996, 1, 1), "13121", "13120");
        Assert.Equal(Severity.Deny, r.Single("ptp.indicator-0").Severity);
    }

    [Fact]
    public void SwappedPairsAreJudgedEachOnTheirOwnRows()
    {
        // 36000/36410 (indicator 1, open) and 36410/36000 (indicator 0, 2010-2019).
        var in2015 = ClaimOnDate(new DateOnly(2015, 6, 1), "36000", "36410");
        Assert.Contains(in2015.Findings, f => f.Rule == "ptp.indicator-1" && f.Codes.SequenceEqual(["36000", "36410"]) && f.DeniedLines.SequenceEqual([2]));
        Assert.Contains(in2015.Findings, f => f.Rule == "ptp.indicator-0" && f.Codes.SequenceEqual(["36410", "36000"]) && f.DeniedLines.SequenceEqual([1]));

        var in2026 = ClaimOnDate(new DateOnly(2026, 6, 1), "36000", "36410");
        var only = Assert.Single(in2026.Findings, f => f.Kind == FindingKind.Ptp);
        Assert.Equal(["36000", "36410"], only.Codes);
    }

    [Fact]
    public void LinesOnDifferentDatesOfServiceDoNotPair()
    {
        var claim = new Claim(Setting.Practitioner, Dos,
            [Line("13121"), Line("13120") with { DateOfService = Dos.AddDays(1) }]);
        var r = Validator().Validate(claim);
        Assert.DoesNotContain(r.Findings, f => f.Kind == FindingKind.Ptp);
    }

    [Fact]
    public void LineDateOverridesClaimDate()
    {
        var claim = new Claim(Setting.Practitioner, Dos,
            [Line("13121") with { DateOfService = Dos.AddDays(1) }, Line("13120") with { DateOfService = Dos.AddDays(1) }]);
        var f = Validator().Validate(claim).Single("ptp.indicator-0");
        Assert.Equal(Dos.AddDays(1), f.DateOfService);
    }

    [Fact]
    public void HospitalSettingUsesTheHospitalTable()
    {
        var claim = new Claim(Setting.Hospital, Dos, [Line("13121"), Line("13120")]);
        var r = Validator().Validate(claim);
        var f = r.Single("ptp.indicator-1");
        Assert.Equal("ptp-hospital", f.Source!.Table);
        Assert.Contains(r.TablesUsed, s => s.Table == "ptp-hospital");
        Assert.DoesNotContain(r.TablesUsed, s => s.Table == "ptp-practitioner");
    }

    [Fact]
    public void NoEditBetweenCodesWithoutARow()
    {
        var r = Check(Line("13120"), Line("62323"));
        Assert.DoesNotContain(r.Findings, f => f.Kind == FindingKind.Ptp);
    }

    private static ValidationResult ClaimOnDate(DateOnly dos, string c1, string c2)
        => Validator().Validate(ClaimOn(dos, Line(c1), Line(c2)));
}
