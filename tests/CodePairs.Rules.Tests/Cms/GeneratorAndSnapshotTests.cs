using System.Security.Cryptography;
using CodePairs.Rules.Cms;
using CodePairs.Rules.Generation;
using CodePairs.Rules.Snapshots;

namespace CodePairs.Rules.Tests.Cms;

public class GeneratorAndSnapshotTests
{
    private static readonly Lazy<Dictionary<string, byte[]>> SmallFiles = new(() => Write(GeneratorOptions.Small(7)));

    internal static Dictionary<string, byte[]> Write(GeneratorOptions options)
    {
        var files = new Dictionary<string, byte[]>();
        new ReleaseGenerator(options).WriteFiles(name => new Sink(name, files));
        return files;
    }

    private sealed class Sink(string name, Dictionary<string, byte[]> files) : MemoryStream
    {
        protected override void Dispose(bool disposing)
        {
            if (disposing) files[name] = ToArray();
            base.Dispose(disposing);
        }
    }

    private static List<CmsInput> Inputs(Dictionary<string, byte[]> files) => files.Select(f => CmsFixtures.Input(f.Key, f.Value)).ToList();

    private static readonly DateOnly Q3 = new(2026, 7, 1);
    internal static PtpRows PtpOf(RuleSetBuilder b, TableId table = TableId.PtpPractitioner) => b.Ptp(table, "v322r0", Q3);
    internal static AddOnRows AddOnsOf(RuleSetBuilder b) => b.AddOns("AOC_V2026Q3", Q3);
    internal static MueRows MueOf(RuleSetBuilder b, TableId table = TableId.MuePractitioner) => b.Mue(table, "2026-07-01", Q3);
    private static PtpIndex PtpIndexOf(RuleSet rules) => (PtpIndex)rules.VersionsOf(TableId.PtpPractitioner)[0].Index;

    [Fact]
    public void WritesEveryFileUnderItsCmsName()
    {
        Assert.Equal(
        [
            "add-code-edits-medicare-effective-07012026.zip",
            "medicare-ncci-2026-q3-dme-supplier-services-mue-table.zip",
            "medicare-ncci-2026-q3-facility-outpatient-hospital-services-mue-table.zip",
            "medicare-ncci-2026-q3-practitioner-services-mue-table.zip",
            "medicare-ncci-2026q3-hospital-ptp-edits-ccioph-v322r0-f1.zip", "medicare-ncci-2026q3-hospital-ptp-edits-ccioph-v322r0-f2.zip",
            "medicare-ncci-2026q3-hospital-ptp-edits-ccioph-v322r0-f3.zip", "medicare-ncci-2026q3-hospital-ptp-edits-ccioph-v322r0-f4.zip",
            "medicare-ncci-2026q3-practitioner-ptp-edits-ccipra-v322r0-f1.zip", "medicare-ncci-2026q3-practitioner-ptp-edits-ccipra-v322r0-f2.zip",
            "medicare-ncci-2026q3-practitioner-ptp-edits-ccipra-v322r0-f3.zip", "medicare-ncci-2026q3-practitioner-ptp-edits-ccipra-v322r0-f4.zip",
            "release.json",
        ], SmallFiles.Value.Keys.Order(StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public void GeneratedFilesReimportToTheSameRowsAsTheInMemoryBuild()
    {
        var imported = CmsImport.Import(Inputs(SmallFiles.Value));
        var built = ReleaseGenerator.Build(GeneratorOptions.Small(7));
        var tables = imported.Report.Tables;
        Assert.Equal(PtpOf(built).Count, tables.Single(t => t.Table == TableId.PtpPractitioner).Rows);
        Assert.Equal(PtpOf(built, TableId.PtpHospital).Count, tables.Single(t => t.Table == TableId.PtpHospital).Rows);
        Assert.Equal(AddOnsOf(built).Count, tables.Single(t => t.Table == TableId.AddOn).Rows);
        Assert.Equal(MueOf(built, TableId.MueDme).Count, tables.Single(t => t.Table == TableId.MueDme).Rows);
        Assert.Equal(4, tables.Single(t => t.Table == TableId.PtpPractitioner).Files);
        Assert.Equal(6, tables.Count);
        RuleSetAssert.Equal(built.Build(), imported.Build());
    }

    [Fact]
    public void TheGeneratorIsDeterministicPerSeed()
    {
        var again = Write(GeneratorOptions.Small(7));
        foreach (var (name, bytes) in SmallFiles.Value)
            if (name.EndsWith(".zip")) // zip entries carry a timestamp; compare the inflated content via the manifest hashes of the text instead
                Assert.Equal(PtpIndexOf(CmsImport.Import(Inputs(SmallFiles.Value)).Build()).Column2, PtpIndexOf(CmsImport.Import(Inputs(again)).Build()).Column2);
        var other = ReleaseGenerator.Build(GeneratorOptions.Small(8));
        Assert.NotEqual(PtpOf(ReleaseGenerator.Build(GeneratorOptions.Small(7))).Column2, PtpOf(other).Column2);
    }

    [Fact]
    public void TheSameSeedGivesTheSameRowsInEveryProcess()
    {
        // A fingerprint pinned in the source: a per-process random hash seed would break it.
        var b = ReleaseGenerator.Build(GeneratorOptions.Small(7));
        var ptp = PtpOf(b);
        long fingerprint = ptp.Count;
        for (var i = 0; i < ptp.Count; i++) fingerprint = fingerprint * 31 + ptp.Column1[i] + ptp.Column2[i] * 7L + ptp.Effective[i] + ptp.Meta[i];
        fingerprint = AddOnsOf(b).Rows.Aggregate(fingerprint, (f, a) => f * 31 + a.AddOn.Packed + a.Primary.Packed);
        fingerprint = MueOf(b).Rows.Values.Aggregate(fingerprint, (f, m) => f * 31 + m.Code.Packed + m.Value);
        Assert.Equal(3166947437382610040L, fingerprint);
    }

    [Fact]
    public void SmallReleaseHasTheQuirksOfARealOne()
    {
        var b = ReleaseGenerator.Build(GeneratorOptions.Small(7));
        var ptp = PtpOf(b);
        Assert.InRange(ptp.Count, 5_000, 6_000);
        var pairs = Enumerable.Range(0, ptp.Count).Select(i => (ptp.Column1[i], ptp.Column2[i])).ToList();
        var distinct = pairs.ToHashSet();
        Assert.True(pairs.Count - distinct.Count > 100, "pairs with several rows");
        Assert.Contains(distinct, p => distinct.Contains((p.Item2, p.Item1))); // swapped pairs
        Assert.True(ptp.Meta.Count(m => (m & 3) == 2) > 100, "indicator-9 rows");
        Assert.True(ptp.Deletion.Count(d => d != NcciDate.Open) > ptp.Count / 5, "deleted rows");
        var partners = pairs.GroupBy(p => p.Item1).Select(g => g.Select(p => p.Item2).Distinct().Count()).OrderDescending().ToArray();
        Assert.True(partners[0] >= 150 && partners[partners.Length / 2] <= 15, $"skew: top {partners[0]}, median {partners[partners.Length / 2]}");
        Assert.Equal([AddOnType.Type1, AddOnType.Type2, AddOnType.Type3], AddOnsOf(b).Rows.Select(a => a.Type).Distinct().Order());
        var mue = MueOf(b).Rows.Values;
        Assert.Equal(3, mue.Select(m => m.Adjudication).Distinct().Count());
        Assert.Contains(mue, m => m.Value == 0);
    }

    [Fact]
    public void TheManifestHashesEveryFile()
    {
        var files = SmallFiles.Value;
        var manifest = ReleaseManifest.Read(new MemoryStream(files["release.json"]), "release.json");
        Assert.Equal(12, manifest.Files.Count);
        foreach (var f in manifest.Files) Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(files[f.Name])), f.Sha256);
    }

    private static byte[] Snapshot(RuleSet rules)
    {
        using var m = new MemoryStream();
        RuleSnapshot.Write(m, rules);
        return m.ToArray();
    }

    [Fact]
    public void SnapshotRoundTripIsExact()
    {
        foreach (var rules in new[] { TestRules.Set.Value, ReleaseGenerator.Build(GeneratorOptions.Small(3)).Build() })
        {
            var loaded = RuleSnapshot.Load(new MemoryStream(Snapshot(rules)));
            RuleSetAssert.Equal(rules, loaded);
            Assert.Equal(Snapshot(rules), Snapshot(loaded));
        }
    }

    [Fact]
    public void ASnapshotValidatesClaimsLikeTheRulesItCameFrom()
    {
        var loaded = RuleSnapshot.Load(new MemoryStream(Snapshot(TestRules.Set.Value)));
        var claim = TestRules.Claim(TestRules.Line("62323"), TestRules.Line("77003"), TestRules.Line("11045"));
        Assert.Equal(TestRules.Validator().Validate(claim).Findings.Select(f => f.Message), new ClaimValidator(loaded).Validate(claim).Findings.Select(f => f.Message));
    }

    [Fact]
    public void VersionsFromRuleSetsWithDifferentCodesComposeByRemappingIds()
    {
        var q3 = TestRules.Set.Value;
        var q4 = new RuleSetBuilder()
            .AddPtp(TableId.PtpPractitioner, "v323r0", new DateOnly(2026, 10, 1), new[] { "00100\t01922\t\t20261001\t*\t0\tMutually exclusive procedures" }.Concat(TestRules.PractitionerPtp).Select(CmsRows.Ptp))
            .AddMue(TableId.MuePractitioner, "2026-10-01", new DateOnly(2026, 10, 1), new[] { "99999,3,\"1 Line Edit\",\"Clinical: Data\"" }.Select(CmsRows.Mue));
        var loaded3 = RuleSnapshot.Read(new MemoryStream(Snapshot(q3)));
        var loaded4 = RuleSnapshot.Read(new MemoryStream(Snapshot(q4.Build())));
        var composed = RuleSet.Compose(loaded4.Versions.Concat(loaded3.Versions));
        var reference = TestRules.Builder()
            .AddPtp(TableId.PtpPractitioner, "v323r0", new DateOnly(2026, 10, 1), new[] { "00100\t01922\t\t20261001\t*\t0\tMutually exclusive procedures" }.Concat(TestRules.PractitionerPtp).Select(CmsRows.Ptp))
            .AddMue(TableId.MuePractitioner, "2026-10-01", new DateOnly(2026, 10, 1), new[] { "99999,3,\"1 Line Edit\",\"Clinical: Data\"" }.Select(CmsRows.Mue))
            .Build();
        RuleSetAssert.Equal(reference, composed);
    }

    [Fact]
    public void AVersionsSnapshotAndContentHashAreTheSameWhateverRuleSetHoldsIt()
    {
        var alone = new RuleSetBuilder().AddMue(TableId.MuePractitioner, "2026-07-01", new DateOnly(2026, 7, 1), TestRules.PractitionerMue.Select(CmsRows.Mue)).Build().Versions[0];
        var inSet = TestRules.Set.Value.VersionsOf(TableId.MuePractitioner)[0];
        Assert.Equal(alone.ContentHash, inSet.ContentHash);
        Assert.Equal(alone.Key, inSet.Key);
        Assert.Matches("^2026-07-01-[0-9a-f]{8}$", alone.Key);
        using var a = new MemoryStream();
        using var b = new MemoryStream();
        RuleSnapshot.Write(a, alone);
        RuleSnapshot.Write(b, inSet);
        Assert.Equal(a.ToArray(), b.ToArray());
        var other = TestRules.Set.Value.VersionsOf(TableId.PtpPractitioner)[0];
        Assert.NotEqual(alone.ContentHash, other.ContentHash);
    }

    [Fact]
    public void ACorruptSnapshotFailsWithAClearError()
    {
        var bytes = Snapshot(TestRules.Set.Value);
        var flipped = (byte[])bytes.Clone();
        flipped[^10] ^= 0x40;
        Assert.Equal("rules.snap: checksum mismatch: the snapshot is corrupt", Assert.Throws<SnapshotException>(() => RuleSnapshot.Read(new MemoryStream(flipped), "rules.snap")).Message);
        Assert.Matches(@"^rules\.snap: truncated: the header promises [\d,]+ payload bytes, the file holds [\d,]+$",
            Assert.Throws<SnapshotException>(() => RuleSnapshot.Read(new MemoryStream(bytes[..^100]), "rules.snap")).Message);
        Assert.Equal("rules.snap: not a CodePairs rule snapshot (bad magic or shorter than the 28-byte header)",
            Assert.Throws<SnapshotException>(() => RuleSnapshot.Read(new MemoryStream(bytes[..10]), "rules.snap")).Message);
        var version = (byte[])bytes.Clone();
        version[8] = 9;
        Assert.Equal("rules.snap: snapshot format version 9; this build reads version 2 (rebuild the snapshot with 'rules import')",
            Assert.Throws<SnapshotException>(() => RuleSnapshot.Read(new MemoryStream(version), "rules.snap")).Message);
    }

    [Fact]
    public void ProfileShowsAddOnPrimariesAsRangesPartnersBothWaysAndMue()
    {
        var p = TestRules.Set.Value.Profile(HcpcsCode.Parse("11045"), TestRules.Dos);
        Assert.Equal(1, p.AddOn!.Type);
        Assert.Equal(["11042-11043"], p.AddOn.EligiblePrimaries); // 97597 was deleted as a primary in 2023
        Assert.Equal(12, p.Mue!.Value);

        var c = TestRules.Set.Value.Profile(HcpcsCode.Parse("77003"), TestRules.Dos);
        Assert.Null(c.AddOn);
        Assert.Equal(["62323", "64493"], c.Column1Partners.Select(x => x.Code));
        Assert.All(c.Column1Partners, x => Assert.Equal(1, x.ModifierIndicator));
        Assert.Empty(c.Column2Partners);

        var s = TestRules.Set.Value.Profile(HcpcsCode.Parse("13121"), TestRules.Dos, history: true);
        Assert.Equal(2, s.Column2Partners.Count); // the indicator-9 row and the edit in force
        Assert.Single(s.Column2Partners, x => x.InForce && x.ModifierIndicator == 0);
        Assert.Equal(["11045"], TestRules.Set.Value.Profile(HcpcsCode.Parse("11042"), TestRules.Dos).PrimaryFor);
        Assert.False(TestRules.Set.Value.Profile(HcpcsCode.Parse("99999")).Known);
    }
}
