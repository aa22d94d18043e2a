using CodePairs.Storage;
using CodePairs.Rules;

namespace CodePairs.Functions.Tests.Storage;

/// <summary>The packed per-code layout, without storage: entities round-trip to exactly the engine's rows.</summary>
public sealed class RuleEditsLayoutTests
{
    private static readonly (RuleSet Set, Release Release) Rules = StorageTestRules.Build("v322r0");

    [Fact]
    public void EveryTableRoundTripsThroughItsEntities()
    {
        var (set, release) = Rules;
        foreach (var component in release.Components)
        {
            var entities = TableReleaseEditsStore.Entities(release, set.Codes, component.Table).ToArray();
            var vocab = Assert.Single(entities, e => e.RowKey == RuleEditsLayout.VocabularyRowKey);
            var (rationales, notes) = RuleEditsLayout.ReadVocabulary(vocab);
            Assert.Equal(component.Rows, entities.Sum(RuleEditsLayout.RowCount));
            Assert.Equal((long)component.Rows, vocab.GetInt64("N"));
            TableBatchPlanner.Plan(entities); // every entity obeys Azure's rules

            foreach (var e in entities.Where(e => e.RowKey != RuleEditsLayout.VocabularyRowKey))
            {
                switch (RuleEditsLayout.KindOf(component.Table))
                {
                    case RuleEditsLayout.TableKind.Ptp:
                        var c1 = HcpcsCode.Parse(e.RowKey);
                        var table = component.Table == "ptp-hospital" ? PtpTable.Hospital : PtpTable.Practitioner;
                        Assert.Equal(release.PtpEdits(table, set.Codes, c1), RuleEditsLayout.ReadPtp(e, c1, rationales));
                        Assert.Equal($"v322r0_{component.Table}_{e.RowKey[..3]}", e.PartitionKey);
                        break;
                    case RuleEditsLayout.TableKind.AddOn:
                        var aoc = HcpcsCode.Parse(e.RowKey);
                        Assert.Equal(release.AddOnEdits(set.Codes, aoc), RuleEditsLayout.ReadAddOns(e, aoc, notes));
                        break;
                    default:
                        Assert.Equal(3, e.RowKey.Length);
                        Assert.Equal($"v322r0_{component.Table}", e.PartitionKey);
                        break;
                }
            }
        }
    }

    [Fact]
    public void PtpRowsAreNineBytesWithPackedColumnTwoCodes()
    {
        var (set, release) = Rules;
        var edits = release.PtpEdits(PtpTable.Practitioner, set.Codes, HcpcsCode.Parse("13121"));
        var entity = RuleEditsLayout.PtpEntity("v322r0", "ptp-practitioner", HcpcsCode.Parse("13121"), edits, _ => 0);

        var d0 = Assert.IsType<byte[]>(entity["D0"]);
        Assert.Equal(2 * RuleEditsLayout.PtpRowBytes, d0.Length);
        Assert.Equal(HcpcsCode.Parse("13120").Packed, BitConverter.ToInt32(d0, 0));
        Assert.Equal(2, entity.GetInt32("N"));
    }

    [Fact]
    public void AColumnOneCodeWithThousandsOfRowsSpillsIntoSeveralProperties()
    {
        var rows = Enumerable.Range(0, 20_000)
            .Select(i => new PtpEdit(HcpcsCode.Parse("99213"), HcpcsCode.Parse($"{10000 + i:D5}"), false,
                new DateOnly(2020, 1, 1), null, ModifierIndicator.Allowed, "Mutually exclusive procedures"))
            .ToArray();
        var entity = RuleEditsLayout.PtpEntity("v1", "ptp-practitioner", HcpcsCode.Parse("99213"), rows, _ => 0);

        Assert.True(entity.ContainsKey("D2"));
        TableBatchPlanner.ValidateEntity(entity);
        Assert.Equal(rows, RuleEditsLayout.ReadPtp(entity, HcpcsCode.Parse("99213"), ["Mutually exclusive procedures"]));
    }

    [Theory]
    [InlineData("v32_1")]
    [InlineData("v32/1")]
    [InlineData("")]
    public void ReleaseIdsThatWouldBreakKeysAreRefused(string id)
        => Assert.Throws<ArgumentException>(() => RuleEditsLayout.ValidateReleaseId(id));

    [Fact]
    public void UnknownTablesAreRefused()
        => Assert.Contains("not a rule table", Assert.Throws<ArgumentException>(() => RuleEditsLayout.KindOf("ptp")).Message);
}
