using CodePairs.Rules.Cms;
using CodePairs.Tests.Shared;

namespace CodePairs.Rules.Tests.Cms;

/// <summary>The genuine CMS files of ../shared/cms-samples, zipped in the test under the names CMS's downloads carry:
/// every one imports with its exact row counts and its quirks read as data.</summary>
public class GenuineFilesTests
{
    private static CmsInput Input((string Name, byte[] Bytes) file) => CmsFixtures.Input(file.Name, file.Bytes);

    private static readonly Lazy<CmsImportResult> Aoc = new(() => CmsImport.Import([Input(GenuineSamples.AocDownload())]));

    private static IReadOnlyList<AddOnEdit> AllAddOnRows(TableVersion aoc) => aoc.AddOnCodes().SelectMany(aoc.AddOnEdits).ToArray();

    [Fact]
    public void TheGenuineAddOnWorkbookUnderItsDownloadNameImportsAllNineThousandRows()
    {
        var result = Aoc.Value;
        var table = Assert.Single(result.Report.Tables);
        Assert.Equal((TableId.AddOn, "AOC_V2026Q2", new DateOnly(2026, 6, 1), 9_000), (table.Table, table.Version, table.EffectiveFrom, table.Rows));
        var rows = AllAddOnRows(result.Build().VersionsOf(TableId.AddOn)[0]);
        Assert.Equal(8_293, rows.Count(r => r.Type == AddOnType.Type1));
        Assert.Equal(660, rows.Count(r => r.Type == AddOnType.Type3));
        Assert.Equal(47, rows.Count(r => r.Type == AddOnType.Type2));
        Assert.Equal(47, rows.Count(r => r.Type == AddOnType.Type2 && r.Primary.IsEmpty));
        Assert.Equal(8, rows.Count(r => r.Type == AddOnType.Type3 && r.Primary.IsEmpty)); // CCCCC on type-3 rows: data, not an error
        Assert.Equal(18, rows.Count(r => r.EditDeletion == r.EditEffective));             // one-day windows
        Assert.Equal(49, rows.GroupBy(r => (r.AddOn, r.Primary)).Count(g => g.Count() == 2));
        Assert.Contains(result.Report.Files, f => f.File == "add-code-edits-medicare-effective-06012026.zip/AOC_V2026Q2-MCR.xlsx" && f.Outcome == FileOutcome.Loaded && f.Rows == 9_000);
    }

    [Fact]
    public void JulianDatesFollowRealLeapYears()
    {
        var rows = AllAddOnRows(Aoc.Value.Build().VersionsOf(TableId.AddOn)[0]);
        var dates = rows.SelectMany(r => new[] { r.AddOnDeletion, r.PrimaryDeletion, r.EditDeletion, r.EditEffective }).OfType<DateOnly>().ToHashSet();
        Assert.Contains(new DateOnly(2024, 4, 1), dates);   // 2024092: day 92 of a leap year
        Assert.Contains(new DateOnly(2016, 12, 31), dates); // 2016366
        Assert.DoesNotContain(dates, d => d.Month == 12 && d.Day == 30 && DateTime.IsLeapYear(d.Year) && rows.Any(r => r.EditDeletion == d));
    }

    [Fact]
    public void The77003ProfileListsTheSeedsPrimariesAnd62270And62272UntilTheEndOf2019()
    {
        var rules = Aoc.Value.Build();
        var now = rules.Profile(HcpcsCode.Parse("77003"), new DateOnly(2026, 8, 3));
        Assert.Equal(1, now.AddOn!.Type);
        Assert.Equal(["61050", "61055", "62267", "62273", "62280-62282", "62284", "64449", "64510", "64517", "64520", "64610", "96450"], now.AddOn.EligiblePrimaries);
        var end2019 = rules.Profile(HcpcsCode.Parse("77003"), new DateOnly(2019, 12, 31));
        Assert.Equal(["61050", "61055", "62267", "62270", "62272-62273", "62280-62282", "62284", "64510", "64517", "64520", "64610", "96450"], end2019.AddOn!.EligiblePrimaries);
        var rows = rules.VersionsOf(TableId.AddOn)[0].AddOnEdits(HcpcsCode.Parse("77003"));
        Assert.Equal(16, rows.Count);
        Assert.All(rows.Where(r => r.Primary.ToString() is "62270" or "62272"), r => Assert.Equal(new DateOnly(2019, 12, 31), r.EditDeletion));
        Assert.Equal(new DateOnly(2020, 1, 1), rows.Single(r => r.Primary.ToString() == "64449").EditEffective);
    }

    [Fact]
    public void A77003ClaimWithoutItsPrimaryIsDeniedByTheGenuineTable()
    {
        var validator = new ClaimValidator(Aoc.Value.Build());
        var alone = validator.Validate(TestRules.Claim(TestRules.Line("77003")));
        var f = alone.Single("aoc.type-1-no-primary");
        Assert.Equal(new RuleSource("aoc", "AOC_V2026Q2", new DateOnly(2026, 6, 1)), f.Source);
        Assert.Equal(["61050", "61055", "62267", "62273", "62280-62282", "62284", "64449", "64510", "64517", "64520", "64610", "96450"], f.Fix.EligiblePrimaries);
        Assert.DoesNotContain(validator.Validate(TestRules.Claim(TestRules.Line("62284"), TestRules.Line("77003"))).Findings, x => x.Kind == FindingKind.AddOn);
        Assert.Single(validator.Validate(TestRules.ClaimOn(new DateOnly(2020, 3, 2), TestRules.Line("62270"), TestRules.Line("77003"))).Findings, x => x.Rule == "aoc.type-1-no-primary");
        Assert.DoesNotContain(validator.Validate(TestRules.ClaimOn(new DateOnly(2019, 3, 1), TestRules.Line("62270"), TestRules.Line("77003"))).Findings, x => x.Kind == FindingKind.AddOn);
    }

    [Fact]
    public void CccccOnAType3RowMeansTheContractorMayAddPrimariesNeverAFileError()
    {
        var validator = new ClaimValidator(Aoc.Value.Build());
        var f = validator.Validate(TestRules.Claim(TestRules.Line("C9726"))).Single("aoc.type-3-no-listed-primary");
        Assert.Equal(Severity.Warning, f.Severity);
        Assert.Empty(f.DeniedLines);
        Assert.Equal(["19301-19302"], f.Fix.EligiblePrimaries); // CCCCC is no primary to list
        Assert.DoesNotContain(validator.Validate(TestRules.Claim(TestRules.Line("19301"), TestRules.Line("C9726"))).Findings, x => x.Kind == FindingKind.AddOn);
    }

    [Theory]
    [InlineData("2013-10-01", "aoc.type-2")]                  // (49327, CCCCC) type 2 from 2013091 to 2013365 …
    [InlineData("2026-08-03", "aoc.type-3-no-listed-primary")] // … then type 3 with listed primaries from 2014001
    public void APairListedTwiceIsJudgedByTheRowInForceOnTheDate(string dos, string rule)
    {
        var r = new ClaimValidator(Aoc.Value.Build()).Validate(TestRules.ClaimOn(DateOnly.Parse(dos), TestRules.Line("49327")));
        Assert.Equal(rule, Assert.Single(r.Findings, f => f.Kind == FindingKind.AddOn).Rule);
    }

    [Fact]
    public void TheGenuinePtpExcerptImportsAll154RowsAsPartF1()
    {
        var result = CmsImport.Import([Input(GenuineSamples.PtpDownload())], new ImportOptions { PtpParts = 1 }); // an excerpt of f1 alone
        var table = Assert.Single(result.Report.Tables);
        Assert.Equal((TableId.PtpPractitioner, "v322r0", new DateOnly(2026, 7, 1), 154), (table.Table, table.Version, table.EffectiveFrom, table.Rows));
        var version = result.Build().VersionsOf(TableId.PtpPractitioner)[0];
        var edits = version.PtpColumn1Codes().SelectMany(version.PtpEdits).ToArray();
        Assert.All(edits.Where(e => e.Indicator == ModifierIndicator.NotApplicable), e => Assert.Equal(e.Effective, e.Deletion));
        Assert.Contains(edits, e => e.Deletion is null);
        Assert.DoesNotContain(edits, e => e.PriorTo1996);
    }

    [Fact]
    public void TheGenuinePtpExcerptAloneIsRefusedAsAnIncompleteTableByDefault()
    {
        var e = Assert.Throws<CmsFileException>(() => CmsImport.Import([Input(GenuineSamples.PtpDownload())]));
        Assert.Contains("is missing part(s) f2, f3, f4", e.Message);
    }

    [Fact]
    public void TheGenuineMueFilesImportWithTheirExactRowCounts()
    {
        var result = CmsImport.Import([Input(GenuineSamples.MueQ3Download()), .. GenuineSamples.MueQ4Downloads().Select(Input)]);
        Assert.Equal(
            [(TableId.MuePractitioner, "2026-07-01", 44), (TableId.MuePractitioner, "2026-10-01", 6), (TableId.MueHospital, "2026-10-01", 6), (TableId.MueDme, "2026-10-01", 3)],
            result.Report.Tables.Select(t => (t.Table, t.Version, t.Rows)));
        var rules = result.Build();
        Assert.Equal(0, rules.VersionFor(TableId.MueHospital, new DateOnly(2026, 10, 1))!.MueLimitOf(HcpcsCode.Parse("E0114"))!.Value);
        Assert.Equal(8, rules.VersionFor(TableId.MuePractitioner, new DateOnly(2026, 10, 1))!.MueLimitOf(HcpcsCode.Parse("J1885"))!.Value);
    }

    [Fact]
    public void AnMueOnlyDropOverAPtpAndAocStateIsUsedFromItsDateAndEarlierDatesKeepTheEarlierMue()
    {
        var state = CmsImport.Import([Input(GenuineSamples.PtpDownload()), Input(GenuineSamples.AocDownload()), Input(GenuineSamples.MueQ3Download())],
            new ImportOptions { PtpParts = 1 }).Build();
        var mueOnly = CmsImport.Import(GenuineSamples.MueQ4Downloads().Select(Input)).Build();
        var next = state.With(mueOnly);

        Assert.Equal(state.VersionsOf(TableId.PtpPractitioner)[0].ContentHash, next.VersionsOf(TableId.PtpPractitioner)[0].ContentHash);
        Assert.Equal(state.VersionsOf(TableId.AddOn)[0].ContentHash, next.VersionsOf(TableId.AddOn)[0].ContentHash);
        Assert.Equal("2026-07-01", next.VersionFor(TableId.MuePractitioner, new DateOnly(2026, 9, 30))!.Version);
        Assert.Equal("2026-10-01", next.VersionFor(TableId.MuePractitioner, new DateOnly(2026, 10, 15))!.Version);

        // The add-on and PTP edits of a claim stay in force across the MUE change.
        var claim = TestRules.ClaimOn(new DateOnly(2026, 10, 15), TestRules.Line("0001U"), TestRules.Line("81162"), TestRules.Line("77003"));
        var before = new ClaimValidator(state).Validate(claim);
        var after = new ClaimValidator(next).Validate(claim);
        Assert.Single(after.Findings, f => f.Rule == "ptp.indicator-1");
        Assert.Single(after.Findings, f => f.Rule == "aoc.type-1-no-primary");
        Assert.Equal(before.Findings.Where(f => f.Kind != FindingKind.Mue).Select(f => f.Rule), after.Findings.Where(f => f.Kind != FindingKind.Mue).Select(f => f.Rule));
        Assert.Contains(after.TablesUsed, s => s == new RuleSource("mue-practitioner", "2026-10-01", new DateOnly(2026, 10, 1)));
    }

    [Fact]
    public void FilesUnderUnfamiliarNamesAreRecognisedByTheirContent()
    {
        var result = CmsImport.Import(
        [
            CmsFixtures.Input("add-code-edits-medicare-effective-06012026.zip", GenuineSamples.Zip(("addons.xlsx", GenuineSamples.Read(GenuineSamples.AocWorkbook)))),
            CmsFixtures.Input("medicare-ncci-2026-q4-practitioner-services-mue-table.zip", GenuineSamples.Zip(("table.csv", GenuineSamples.Read(GenuineSamples.MueQ4[0])))),
            CmsFixtures.Input("medicare-ncci-2026q3-practitioner-ptp-edits-ccipra-v322r0-f1.zip", GenuineSamples.Zip(("edits.txt", GenuineSamples.Read(GenuineSamples.PtpExcerpt)))),
        ], new ImportOptions { PtpParts = 1 });
        Assert.Equal([(TableId.PtpPractitioner, 154), (TableId.AddOn, 9_000), (TableId.MuePractitioner, 6)], result.Report.Tables.Select(t => (t.Table, t.Rows)));
        Assert.Equal(new DateOnly(2026, 10, 1), result.Report.Tables.Single(t => t.Table == TableId.MuePractitioner).EffectiveFrom);
    }

    [Fact]
    public void AFileRecognisedByContentWithoutAVersionAnywhereFailsWithAReason()
    {
        var e = Assert.Throws<CmsFileException>(() => CmsImport.Import([CmsFixtures.Input("practitioner.csv", GenuineSamples.Read(GenuineSamples.MueQ4[0]))]));
        Assert.Equal("practitioner.csv: recognised as an MUE .csv by its content, but neither its name nor its archive's carries the effective date (…_Eff_MM-DD-YYYY.csv) (the file is rejected)", e.Message);
    }

    [Fact]
    public void NamesAreMatchedWhateverTheirCase()
    {
        var result = CmsImport.Import([CmsFixtures.Input("ADD-CODE-EDITS-MEDICARE-EFFECTIVE-06012026.ZIP", GenuineSamples.Zip(("aoc_v2026q2-mcr.XLSX", GenuineSamples.Read(GenuineSamples.AocWorkbook))))]);
        Assert.Equal(("AOC_V2026Q2", 9_000), result.Report.Tables.Select(t => (t.Version, t.Rows)).Single());
    }

    [Fact]
    public void QuarterlyDeltasAndUnrelatedFilesAreReportedNotSilentlySkipped()
    {
        var result = CmsImport.Import(
        [
            Input(GenuineSamples.AocDownload()),
            CmsFixtures.Input("medicare-ncci-2026q3-practitioner-ptp-edits-additions-deletions-revisions.zip", GenuineSamples.Zip(("x.txt", [1]))),
            CmsFixtures.Input("MCR_MUE_PractitionerServices_Eff_07-01-2026_Changes.xlsx", [1, 2, 3]),
            CmsFixtures.Input("notes.pdf", "%PDF-1.7"u8.ToArray()),
        ]);
        var files = result.Report.Files.ToDictionary(f => f.File, f => f.Outcome);
        Assert.Equal(FileOutcome.NotLoaded, files["medicare-ncci-2026q3-practitioner-ptp-edits-additions-deletions-revisions.zip"]);
        Assert.Equal(FileOutcome.NotLoaded, files["MCR_MUE_PractitionerServices_Eff_07-01-2026_Changes.xlsx"]);
        Assert.Equal(FileOutcome.Ignored, files["notes.pdf"]);
        Assert.Contains("quarterly delta", result.Report.Files.Single(f => f.File.EndsWith("revisions.zip", StringComparison.Ordinal)).Detail);
    }

    [Fact]
    public void ADropOfOnlyAnUnreadableAocWorkbookFails()
    {
        var bytes = GenuineSamples.Read(GenuineSamples.AocWorkbook)[..50_000];
        var e = Assert.Throws<CmsFileException>(() => CmsImport.Import([CmsFixtures.Input("add-code-edits-medicare-effective-06012026.zip", GenuineSamples.Zip((GenuineSamples.AocWorkbook, bytes)))]));
        Assert.Contains("AOC_V2026Q2-MCR.xlsx", e.Message);
        Assert.Equal(FileOutcome.Failed, e.Report!.Files.Single(f => f.File.EndsWith(".xlsx", StringComparison.Ordinal)).Outcome);
    }
}
