using CodePairs.Rules.Cms;
using CodePairs.Rules.Generation;
using CodePairs.Rules.Tests.Cms;
using CodePairs.Tests.Shared;
using static CodePairs.Rules.Tests.TestRules;

namespace CodePairs.Rules.Tests;

/// <summary>The change report between two versions of a table, or the versions in force on two dates.</summary>
public class ChangeReportTests
{
    private static string Key(TableChange c) => $"{c.Kind}|{c.Code}|{c.Other}|{string.Join(',', c.Fields)}|{c.Before}|{c.After}";

    [Fact]
    public void TheDifferenceOfTwoGeneratedVersionsIsExactlyWhatTheGeneratorChanged()
    {
        var (builder, expected) = new ReleaseGenerator(GeneratorOptions.Small(5)).WithNextQuarter(share: 0.02);
        var rules = builder.Build();
        Assert.True(expected.Count > 100, $"{expected.Count} changes generated");
        foreach (var table in Tables.All)
        {
            var versions = rules.VersionsOf(table);
            Assert.Equal(2, versions.Count);
            var report = TableChanges.Between(rules, versions[0], versions[1]);
            var want = expected.Where(e => e.Table == table).Select(e => Key(e.Change)).Order(StringComparer.Ordinal).ToArray();
            var got = report.Changes.Select(Key).Order(StringComparer.Ordinal).ToArray();
            Assert.True(want.Length > 0, $"the generator changed nothing in {table.Name()}");
            Assert.Equal(want, got);
            Assert.Equal(got.Length, report.Counts.Values.Sum());
        }
    }

    [Fact]
    public void AVersionComparedWithItselfHasNoChange()
    {
        var rules = ReleaseGenerator.Build(GeneratorOptions.Small(5)).Build();
        foreach (var v in rules.Versions) Assert.Empty(TableChanges.Between(rules, v, v).Changes);
    }

    [Fact]
    public void ACodeListKeepsTheChangesThatNameEitherCode()
    {
        var (builder, _) = new ReleaseGenerator(GeneratorOptions.Small(5)).WithNextQuarter(share: 0.05);
        var rules = builder.Build();
        var ptp = rules.VersionsOf(TableId.PtpPractitioner);
        var all = TableChanges.Between(rules, ptp[0], ptp[1]);
        var some = all.Changes[0];
        Assert.True(TableChanges.TryParseCodes(some.Other, out var codes, out _));
        var filtered = TableChanges.Between(rules, ptp[0], ptp[1], codes);
        Assert.NotEmpty(filtered.Changes);
        Assert.All(filtered.Changes, c => Assert.True(c.Code == some.Other || c.Other == some.Other));
        Assert.Equal(all.Changes.Count(c => c.Code == some.Other || c.Other == some.Other), filtered.Changes.Count);
        Assert.False(TableChanges.TryParseCodes("62329-62320", out _, out var error));
        Assert.Contains("ends before it starts", error);
    }

    [Fact]
    public void The77003AddOnRowsThatChangedOnNewYear2020AreExactlyTheThreeGenuineOnes()
    {
        var rules = CmsImport.Import([CmsFixtures.Input(GenuineSamples.AocDownload().Name, GenuineSamples.AocDownload().Bytes)]).Build();
        var report = TableChanges.Between(rules, TableId.AddOn, new DateOnly(2019, 12, 31), new DateOnly(2020, 1, 1), [CodeRange.Parse("77003")]);
        Assert.Equal(
            [(ChangeKind.Deleted, "77003", "62270"), (ChangeKind.Deleted, "77003", "62272"), (ChangeKind.Added, "77003", "64449")],
            report.Changes.Select(c => (c.Kind, c.Code, c.Other)));
        Assert.Equal(new DateOnly(2019, 12, 31), report.Changes[0].Before!.Deletion);
        Assert.Equal(new DateOnly(2020, 1, 1), report.Changes[2].After!.Effective);
        Assert.Equal(new Dictionary<ChangeKind, int> { [ChangeKind.Added] = 1, [ChangeKind.Deleted] = 2 }, report.Counts);
        Assert.Equal(new AffectedCode("77003", 3), report.MostAffected(1)[0]);
    }

    [Fact]
    public void BetweenDatesAPtpEditWhoseIndicatorChangedIsARevision()
    {
        // 11042/97597: indicator 0 until 2025-12-31, indicator 1 from 2026-01-01 (TestRules).
        var report = TableChanges.Between(Set.Value, TableId.PtpPractitioner, new DateOnly(2025, 12, 31), new DateOnly(2026, 1, 1));
        var change = Assert.Single(report.Changes);
        Assert.Equal((ChangeKind.Revised, "11042", "97597"), (change.Kind, change.Code, change.Other));
        Assert.Equal(["effective", "deletion", "modifierIndicator"], change.Fields);
        Assert.Equal((0, 1), (change.Before!.ModifierIndicator, change.After!.ModifierIndicator));
    }

    [Fact]
    public void MueChangesAreRaisedLoweredAddedAndRemovedBetweenTheVersionsInForce()
    {
        var q4 = new RuleSetBuilder().AddMue(TableId.MuePractitioner, "2026-10-01", new DateOnly(2026, 10, 1),
        [
            CmsRows.Mue("11042,3,\"2 Date of Service Edit: Policy\",\"Anatomic Consideration\""),  // raised from 1
            CmsRows.Mue("11045,9,\"3 Date of Service Edit: Clinical\",\"Clinical: Data\""),       // lowered from 12
            CmsRows.Mue("99999,1,\"1 Line Edit\",\"Clinical: Data\""),                            // added
        ]).Build();
        var rules = Set.Value.With(q4);
        var report = TableChanges.Between(rules, TableId.MuePractitioner, new DateOnly(2026, 9, 30), new DateOnly(2026, 10, 1),
            [CodeRange.Parse("11042"), CodeRange.Parse("11045"), CodeRange.Parse("99999"), CodeRange.Parse("13120")]);
        Assert.Equal([(ChangeKind.Raised, "11042"), (ChangeKind.Lowered, "11045"), (ChangeKind.Removed, "13120"), (ChangeKind.Added, "99999")],
            report.Changes.Select(c => (c.Kind, c.Code)));
        Assert.Equal("2026-09-30 (2026-07-01)", report.From);
        Assert.Equal("2026-10-01 (2026-10-01)", report.To);
    }
}
