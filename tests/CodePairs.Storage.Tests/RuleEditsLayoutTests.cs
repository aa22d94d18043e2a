using CodePairs.Rules;
using CodePairs.Storage;

namespace CodePairs.Storage.Tests;

/// <summary>The packed per-code layout, without storage: entities round-trip to exactly the engine's rows.</summary>
public sealed class RuleEditsLayoutTests
{
    private static readonly RuleSet Rules = StorageTestRules.Build();

    [Fact]
    public void EveryTableVersionRoundTripsThroughItsEntities()
    {
        foreach (var v in Rules.Versions)
        {
            var entities = RuleEditsLayout.Entities(StoredRows.Encode(v), v.Key).ToArray();
            var vocab = Assert.Single(entities, e => e.RowKey == RuleEditsLayout.VocabularyRowKey);
            var (rationales, notes) = RuleEditsLayout.ReadVocabulary(vocab);
            Assert.Equal(v.Rows, entities.Sum(RuleEditsLayout.RowCount));
            Assert.Equal((long)v.Rows, vocab.GetInt64("N"));
            TableBatchPlanner.Plan(entities); // every entity obeys Azure's rules

            foreach (var e in entities.Where(e => e.RowKey != RuleEditsLayout.VocabularyRowKey))
            {
                var group = RuleEditsLayout.ReadGroup(e);
                switch (v.Kind)
                {
                    case TableKind.Ptp:
                        var c1 = HcpcsCode.Parse(e.RowKey);
                        Assert.Equal(v.PtpEdits(c1), StoredRows.Decode(v.Table, c1, group, rationales, notes)!.Ptp);
                        Assert.Equal($"{v.Key}_{v.Table.Name()}_{e.RowKey[..3]}", e.PartitionKey);
                        break;
                    case TableKind.AddOn:
                        var aoc = HcpcsCode.Parse(e.RowKey);
                        Assert.Equal(v.AddOnEdits(aoc), StoredRows.Decode(v.Table, aoc, group, rationales, notes)!.AddOns);
                        break;
                    default:
                        Assert.Equal(3, e.RowKey.Length);
                        Assert.Equal($"{v.Key}_{v.Table.Name()}", e.PartitionKey);
                        break;
                }
            }
        }
    }

    [Fact]
    public void PtpRowsAreNineBytesWithPackedColumnTwoCodes()
    {
        var stored = StoredRows.Encode(Rules.VersionsOf(TableId.PtpPractitioner)[0]);
        var group = stored.Groups.Single(g => g.Key == "13121");
        Assert.Equal(2 * StoredRows.RowBytes(TableKind.Ptp), group.Data.Length);
        Assert.Equal(HcpcsCode.Parse("13120").Packed, BitConverter.ToInt32(group.Data, 0));
        Assert.Equal(2, group.Rows);
    }

    [Fact]
    public void AColumnOneCodeWithThousandsOfRowsSpillsIntoSeveralProperties()
    {
        var rows = Enumerable.Range(0, 20_000)
            .Select(i => new PtpRow(HcpcsCode.Parse("99213"), HcpcsCode.Parse($"{10000 + i:D5}"), false, new DateOnly(2020, 1, 1), null,
                ModifierIndicator.Allowed, "Mutually exclusive procedures"));
        var v = new RuleSetBuilder().AddPtp(TableId.PtpPractitioner, "v1", new DateOnly(2020, 1, 1), rows).Build().Versions[0];
        var entity = RuleEditsLayout.Entities(StoredRows.Encode(v), v.Key).First();

        Assert.True(entity.ContainsKey("D2"));
        TableBatchPlanner.ValidateEntity(entity);
        Assert.Equal(v.PtpEdits(HcpcsCode.Parse("99213")),
            StoredRows.Decode(TableId.PtpPractitioner, HcpcsCode.Parse("99213"), RuleEditsLayout.ReadGroup(entity), ["Mutually exclusive procedures"], [])!.Ptp);
    }

    [Theory]
    [InlineData("v32_1")]
    [InlineData("v32/1")]
    [InlineData("V322R0")]
    [InlineData("..")]
    [InlineData("a--b")]
    [InlineData("")]
    public void VersionKeysThatWouldBreakKeysAreRefused(string key)
        => Assert.Throws<ArgumentException>(() => RuleEditsLayout.ValidateVersionKey(key));

    [Fact]
    public void EveryEngineKeyIsAValidStorageKey()
        => Assert.All(Rules.Versions, v => Assert.True(RuleEditsLayout.IsVersionKey(v.Key), v.Key));
}
