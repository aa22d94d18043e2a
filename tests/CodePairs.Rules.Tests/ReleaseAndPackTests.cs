using static CodePairs.Rules.Tests.TestRules;

namespace CodePairs.Rules.Tests;

public class ReleaseTests
{
    private static RuleSet TwoReleases()
    {
        // v321r0 (2026 Q2): 13121/13120 is indicator 1; v322r0 (2026 Q3): indicator 0.
        var older = new ReleaseBuilder("v321r0", new DateOnly(2026, 4, 1))
            .AddPtp(PtpTable.Practitioner, "v321r0", [CmsRows.Ptp("13121\t13120\t*\t19960101\t*\t1\tCPT Manual or CMS manual coding instruction")]);
        return RuleSet.Build(older, Builder());
    }

    [Theory]
    [InlineData("2026-06-30", "v321r0", Severity.Bypassable)]
    [InlineData("2026-07-01", "v322r0", Severity.Deny)]
    [InlineData("2025-01-01", "v321r0", Severity.Bypassable)] // before every release: the earliest
    [InlineData("2027-03-01", "v322r0", Severity.Deny)]       // after the newest: the newest
    public void EachDateOfServiceIsJudgedByTheReleaseInForce(string dos, string release, Severity severity)
    {
        var r = new ClaimValidator(TwoReleases()).Validate(ClaimOn(DateOnly.Parse(dos), Line("13121"), Line("13120")));
        var f = Assert.Single(r.Findings, f => f.Kind == FindingKind.Ptp);
        Assert.Equal(release, f.Source!.Release);
        Assert.Equal(severity, f.Severity);
        Assert.All(r.ReleasesUsed, s => Assert.Equal(release, s.Release));
    }

    [Fact]
    public void AClaimSpanningTwoReleasesNamesBoth()
    {
        var claim = new Claim(Setting.Practitioner, new DateOnly(2026, 6, 30),
            [Line("13121"), Line("13120"), Line("13121") with { DateOfService = new DateOnly(2026, 7, 1) }]);
        var r = new ClaimValidator(TwoReleases()).Validate(claim);
        Assert.Equal(["v321r0", "v322r0"], r.ReleasesUsed.Select(s => s.Release).Distinct());
    }

    [Fact]
    public void ACleanClaimSaysSoAndNamesItsReleases()
    {
        var r = Check(Line("11042"), Line("11045"));
        Assert.True(r.Clean);
        Assert.DoesNotContain(r.Findings, f => f.Severity >= Severity.Warning);
        Assert.Equal(["ptp-practitioner", "aoc", "mue-practitioner"], r.ReleasesUsed.Select(s => s.Table));
        Assert.All(r.ReleasesUsed, s => Assert.Equal(ReleaseId, s.Release));
    }

    [Fact]
    public void ReleaseIdsMustBeUnique()
        => Assert.Throws<ArgumentException>(() => RuleSet.Build(Builder(), Builder()));

    [Fact]
    public void BuilderRejectsRowsThatCannotBeRight()
    {
        var b = new ReleaseBuilder("x", Dos);
        Assert.Throws<ArgumentException>(() => b.AddPtp(PtpTable.Practitioner, "x",
            [CmsRows.Ptp("13121\t13120\t\t20200101\t20191231\t1\tMutually exclusive procedures")]));
        Assert.Throws<ArgumentException>(() => b.AddMue(MueTable.Practitioner, "x", Dos,
            [CmsRows.Mue("13120,1,\"1 Line Edit\",\"x\""), CmsRows.Mue("13120,2,\"1 Line Edit\",\"x\"")]));
    }
}

public class RulePackTests
{
    private static ValidationResult CheckWithPack(params ClaimLine[] lines) => Validator(withPack: true).Validate(Claim(lines));

    [Fact]
    public void ShippedPackExpandsRanges()
    {
        var pack = RulePack.Fluoroscopy77003;
        Assert.Equal("cpt-77003", pack.Name);
        var notWith = Assert.IsType<PackNotWithRule>(pack.Rules.Single(r => r is PackNotWithRule));
        Assert.Contains(HcpcsCode.Parse("62325"), notWith.CodeSet);
        Assert.Contains(HcpcsCode.Parse("64447"), notWith.CodeSet);
        Assert.Contains(HcpcsCode.Parse("0628T"), notWith.CodeSet);
        Assert.DoesNotContain(HcpcsCode.Parse("64449"), notWith.CodeSet);
    }

    [Fact]
    public void Alone77003NeedsAPrimary()
    {
        var r = CheckWithPack(Line("77003"));
        var f = r.Single("pack.add-on-no-primary");
        Assert.Equal(Severity.Deny, f.Severity);
        Assert.Equal(new RuleSource("pack", "cpt-77003", "1"), f.Source);
        Assert.Equal(["61050", "61055", "62267", "62273", "62280-62282", "62284", "64449", "64510", "64517", "64520", "64610", "96450"],
            f.Fix.EligiblePrimaries);
        Assert.False(r.Clean);
    }

    [Fact]
    public void With62323TheCmsEditIsBypassableAndThePackDenies()
    {
        var r = CheckWithPack(Line("62323"), Line("77003"));
        var ptp = r.Single("ptp.indicator-1");
        Assert.Equal("ptp-practitioner", ptp.Source!.Table);
        var pack = r.Single("pack.not-with");
        Assert.Equal(Severity.Deny, pack.Severity);
        Assert.Equal([2], pack.DeniedLines);
        Assert.Equal("cpt-77003", pack.Source!.Release);
        Assert.Single(r.Findings, f => f.Rule == "pack.add-on-no-primary"); // 62323 is not a listed primary
    }

    [Fact]
    public void With64449ItIsClean()
    {
        var r = CheckWithPack(Line("64449"), Line("77003"));
        Assert.True(r.Clean, string.Join("; ", r.Findings.Select(f => f.Message)));
        Assert.DoesNotContain(r.Findings, f => f.Source?.Table == "pack");
    }

    [Fact]
    public void With62270ThePackDeniesAlthoughCmsHasNoEdit()
    {
        var r = CheckWithPack(Line("62270"), Line("77003"));
        Assert.DoesNotContain(r.Findings, f => f.Kind == FindingKind.Ptp && f.Source?.Table != "pack");
        var f = r.Single("pack.not-with");
        Assert.Equal(["77003", "62270"], f.Codes);
        Assert.Contains("Remove 77003 (line 2)", f.Fix.Action);
    }

    [Fact]
    public void PackOutsideItsWindowOrSettingDoesNotApply()
    {
        var pack = RulePackReader.Read("""
            { "name": "p", "effective": { "from": "2027-01-01" }, "settings": ["hospital"],
              "rules": [ { "type": "notWith", "code": "77003", "codes": ["62270"] } ] }
            """);
        var validator = new ClaimValidator(TestRules.Set.Value, [pack]);
        Assert.DoesNotContain(validator.Validate(ClaimOn(new DateOnly(2027, 2, 1), Line("62270"), Line("77003"))).Findings, f => f.Source?.Table == "pack");
        var hospital = new Claim(Setting.Hospital, new DateOnly(2027, 2, 1), [Line("62270"), Line("77003")]);
        Assert.Single(validator.Validate(hospital).Findings, f => f.Rule == "pack.not-with");
        var early = new Claim(Setting.Hospital, new DateOnly(2026, 12, 31), [Line("62270"), Line("77003")]);
        Assert.DoesNotContain(validator.Validate(early).Findings, f => f.Source?.Table == "pack");
    }

    [Fact]
    public void BadPackListsEveryProblem()
    {
        var e = Assert.Throws<RulePackException>(() => RulePackReader.Read("""
            { "name": "", "effective": { "from": "2026-02-30" },
              "rules": [ { "type": "addOn", "code": "7700", "primaries": ["61050"] },
                         { "type": "notWith", "code": "77003", "codes": ["62329-62320"] },
                         { "type": "bundle", "code": "77003" } ] }
            """, "bad.json"));
        Assert.Contains("name: is required", e.Problems);
        Assert.Contains(e.Problems, p => p.StartsWith("effective.from: '2026-02-30' is not a date"));
        Assert.Contains(e.Problems, p => p.StartsWith("rules[0].code: '7700' is 4 characters"));
        Assert.Contains(e.Problems, p => p.StartsWith("rules[1].codes[0]: '62329-62320': the range ends before it starts"));
        Assert.Contains("rules[2].type: 'bundle' is not a rule type (addOn, notWith)", e.Problems);
        Assert.StartsWith("rule pack bad.json is invalid", e.Message);
    }

    [Fact]
    public void PackRejectsUnknownProperties()
    {
        var e = Assert.Throws<RulePackException>(() => RulePackReader.Read("""{ "name": "p", "effective": { "from": "2026-01-01" }, "rulez": [] }"""));
        Assert.Contains("rulez", e.Message);
    }
}
