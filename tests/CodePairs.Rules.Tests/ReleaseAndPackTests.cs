using static CodePairs.Rules.Tests.TestRules;

namespace CodePairs.Rules.Tests;

public class TableVersionTests
{
    private static readonly DateOnly Q2 = new(2026, 4, 1);

    private static RuleSet TwoPtpVersions()
    {
        // v321r0 (2026 Q2): 13121/13120 is indicator 1; v322r0 (2026 Q3): indicator 0. The other tables have one version.
        var older = TestRules.Builder()
            .AddPtp(TableId.PtpPractitioner, "v321r0", Q2, [CmsRows.Ptp("13121\t13120\t*\t19960101\t*\t1\tCPT Manual or CMS manual coding instruction")]);
        return older.Build();
    }

    [Theory]
    [InlineData("2026-06-30", "v321r0", Severity.Bypassable)]
    [InlineData("2026-07-01", "v322r0", Severity.Deny)]
    [InlineData("2025-01-01", "v321r0", Severity.Bypassable)] // before every PTP version: the earliest (its rows carry their dates)
    [InlineData("2027-03-01", "v322r0", Severity.Deny)]       // after the newest: the newest
    public void EachDateOfServiceIsJudgedByThePtpVersionInForce(string dos, string version, Severity severity)
    {
        var r = new ClaimValidator(TwoPtpVersions()).Validate(ClaimOn(DateOnly.Parse(dos), Line("13121"), Line("13120")));
        var f = Assert.Single(r.Findings, f => f.Kind == FindingKind.Ptp);
        Assert.Equal(version, f.Source!.Version);
        Assert.Equal(severity, f.Severity);
        Assert.Equal(version, Assert.Single(r.TablesUsed, s => s.Table == "ptp-practitioner").Version);
    }

    [Fact]
    public void AClaimSpanningTwoVersionsNamesBoth()
    {
        var claim = new Claim(Setting.Practitioner, new DateOnly(2026, 6, 30),
            [Line("13121"), Line("13120"), Line("13121") with { DateOfService = new DateOnly(2026, 7, 1) }]);
        var r = new ClaimValidator(TwoPtpVersions()).Validate(claim);
        Assert.Equal(["v321r0", "v322r0"], r.TablesUsed.Where(s => s.Table == "ptp-practitioner").Select(s => s.Version));
    }

    [Fact]
    public void ACleanClaimSaysSoAndNamesTheVersionOfEachTable()
    {
        var r = Check(Line("11042"), Line("11045"));
        Assert.True(r.Clean);
        Assert.DoesNotContain(r.Findings, f => f.Severity >= Severity.Warning);
        Assert.Equal([("ptp-practitioner", "v322r0"), ("aoc", "AOC_V2026Q3"), ("mue-practitioner", "2026-07-01")], r.TablesUsed.Select(s => (s.Table, s.Version)));
        Assert.All(r.TablesUsed, s => Assert.Equal(ReleaseStart, s.EffectiveFrom));
    }

    [Fact]
    public void AnMueVersionAnswersOnlyFromItsEffectiveDateAndSaysWhatWasNotChecked()
    {
        var r = Validator().Validate(ClaimOn(new DateOnly(2026, 6, 30), Line("11042", 5)));
        var f = r.Single("mue.not-checked");
        Assert.Equal(Severity.Warning, f.Severity);
        Assert.False(r.Clean);
        Assert.Contains("No mue-practitioner version is in force on 2026-06-30 (the earliest loaded, 2026-07-01, starts 2026-07-01)", f.Message);
        Assert.Contains("This is not a pass", f.Message);
        Assert.DoesNotContain(r.TablesUsed, s => s.Table == "mue-practitioner");
    }

    [Fact]
    public void ATableThatIsNotLoadedIsAWarningOncePerDateNeverASilentPass()
    {
        var ptpOnly = new RuleSetBuilder().AddPtp(TableId.PtpPractitioner, "v322r0", ReleaseStart, TestRules.PractitionerPtp.Select(CmsRows.Ptp)).Build();
        var r = new ClaimValidator(ptpOnly).Validate(Claim(Line("13121"), Line("11042"), Line("11045")));
        var aoc = r.Single("aoc.not-checked");
        Assert.Equal([1, 2, 3], aoc.Lines);
        Assert.Contains("No aoc table is loaded", aoc.Message);
        Assert.Single(r.Findings, f => f.Rule == "mue.not-checked");
        Assert.False(r.Clean);
    }

    [Fact]
    public void TwoVersionsOfATableMayNotStartOnTheSameDay()
        => Assert.Throws<ArgumentException>(() => TestRules.Builder().AddMue(TableId.MuePractitioner, "2026-07-01b", ReleaseStart, []).Build());

    [Fact]
    public void ALaterVersionLaidOverARuleSetReplacesOnlyItsOwnTable()
    {
        var q4Mue = new RuleSetBuilder().AddMue(TableId.MuePractitioner, "2026-10-01", new DateOnly(2026, 10, 1),
            [CmsRows.Mue("11042,9,\"1 Line Edit\",\"Clinical: Data\"")]).Build();
        var rules = TestRules.Set.Value.With(q4Mue);
        Assert.Equal(["2026-07-01", "2026-10-01"], rules.VersionsOf(TableId.MuePractitioner).Select(v => v.Version));
        Assert.Equal("v322r0", rules.VersionFor(TableId.PtpPractitioner, new DateOnly(2026, 11, 1))!.Version);
        var validator = new ClaimValidator(rules);
        Assert.DoesNotContain(validator.Validate(ClaimOn(new DateOnly(2026, 11, 1), Line("11042", 9))).Findings, f => f.Kind == FindingKind.Mue);
        Assert.Single(validator.Validate(ClaimOn(new DateOnly(2026, 9, 1), Line("11042", 9))).Findings, f => f.Rule == "mue.dos-policy");
        // A reissue of the same version (same table, same start) replaces it.
        var reissue = new RuleSetBuilder().AddMue(TableId.MuePractitioner, "2026-10-01", new DateOnly(2026, 10, 1),
            [CmsRows.Mue("11042,3,\"1 Line Edit\",\"Clinical: Data\"")]).Build();
        Assert.Equal(2, rules.With(reissue).VersionsOf(TableId.MuePractitioner).Count);
        Assert.Equal(3, rules.With(reissue).VersionFor(TableId.MuePractitioner, new DateOnly(2026, 10, 1))!.MueLimitOf(HcpcsCode.Parse("11042"))!.Value);
        Assert.Single(rules.With(q4Mue, keepPerTable: 1).VersionsOf(TableId.MuePractitioner));
    }

    [Fact]
    public void BuilderRejectsRowsThatCannotBeRight()
    {
        var b = new RuleSetBuilder();
        Assert.Throws<ArgumentException>(() => b.AddMue(TableId.MuePractitioner, "x", Dos,
            [CmsRows.Mue("13120,1,\"1 Line Edit\",\"x\""), CmsRows.Mue("13120,2,\"1 Line Edit\",\"x\"")]));
        Assert.Throws<ArgumentException>(() => b.AddAddOns("x", Dos, [CmsRows.AddOn("11045\t\tCCCCC\t\t1\t2011001\t\t")]));
        Assert.Throws<ArgumentException>(() => new RuleSetBuilder().Ptp(TableId.MuePractitioner, "x", Dos));
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
        var notWith = Assert.IsType<PackNotWithRule>(pack.Rules.Single(r => r is PackNotWithRule && r.From is null));
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
        Assert.Equal(new RuleSource("pack", "2", new DateOnly(2017, 1, 1), "cpt-77003"), f.Source);
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
        Assert.Equal("cpt-77003", pack.Source!.Pack);
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

    [Theory]
    [InlineData("2019-12-31", false)] // 62270 was an eligible primary of 77003 until 2019-12-31 (the genuine AOC file)
    [InlineData("2020-01-01", true)]
    public void ThePacksRulesFor62270BeginWhenCmsChanged77003(string dos, bool denied)
    {
        var r = Validator(withPack: true).Validate(ClaimOn(DateOnly.Parse(dos), Line("62270"), Line("77003")));
        Assert.Equal(denied, r.Findings.Any(f => f.Rule == "pack.not-with"));
        Assert.Equal(denied, r.Findings.Any(f => f.Rule == "pack.add-on-no-primary"));
    }

    [Theory]
    [InlineData("2019-12-31", true)] // 64449 became an eligible primary of 77003 on 2020-01-01
    [InlineData("2020-01-01", false)]
    public void ThePacksPrimary64449BeginsIn2020(string dos, bool denied)
    {
        var r = Validator(withPack: true).Validate(ClaimOn(DateOnly.Parse(dos), Line("64449"), Line("77003")));
        Assert.Equal(denied, r.Findings.Any(f => f.Rule == "pack.add-on-no-primary"));
    }

    [Fact]
    public void ARuleWindowOutsideThePacksIsRefused()
    {
        var e = Assert.Throws<RulePackException>(() => RulePackReader.Read("""
            { "name": "p", "effective": { "from": "2020-01-01" },
              "rules": [ { "type": "notWith", "code": "77003", "codes": ["62270"], "effective": { "from": "2019-01-01" } }, null ] }
            """));
        Assert.Contains(e.Problems, p => p.StartsWith("rules[0].effective.from: 2019-01-01 is before the pack's effective.from"));
        Assert.Contains(e.Problems, p => p.StartsWith("rules[1]: is null"));
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
