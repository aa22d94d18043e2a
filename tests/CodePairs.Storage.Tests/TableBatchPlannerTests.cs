using Azure.Data.Tables;
using CodePairs.Storage;

namespace CodePairs.Storage.Tests;

/// <summary>Azure's table write rules, each proved in our own code (Azurite does not enforce them all).</summary>
public sealed class TableBatchPlannerTests
{
    private static TableEntity Entity(string pk, string rk, int binaryBytes = 16)
        => new(pk, rk) { ["N"] = 1, ["D0"] = new byte[binaryBytes] };

    [Fact]
    public void MixedPartitionsSplitIntoOneTransactionPerPartition()
    {
        var batches = TableBatchPlanner.Plan([Entity("a", "1"), Entity("b", "1"), Entity("a", "2"), Entity("c", "1"), Entity("b", "2")]);

        Assert.Equal(["a", "b", "c"], batches.Select(b => b.PartitionKey));
        Assert.All(batches, b => Assert.All(b.Entities, e => Assert.Equal(b.PartitionKey, e.PartitionKey)));
        Assert.Equal([2, 2, 1], batches.Select(b => b.Entities.Count));
    }

    [Fact]
    public void OneHundredAndOneEntitiesOfOnePartitionSplitIntoTwoTransactions()
    {
        var batches = TableBatchPlanner.Plan(Enumerable.Range(0, 101).Select(i => Entity("p", $"r{i:D3}")));

        Assert.Equal([100, 1], batches.Select(b => b.Entities.Count));
        Assert.Equal(101, batches.SelectMany(b => b.Entities).Select(e => e.RowKey).Distinct().Count());
    }

    [Fact]
    public void TransactionsStayUnderFourMebibytes()
    {
        // 20 entities of 15 × 64 KiB binaries ≈ 0.94 MiB raw, ≈ 1.25 MiB as base64: 3 fit, never 4 MiB worth.
        var entities = Enumerable.Range(0, 20).Select(i =>
        {
            var e = new TableEntity("p", $"r{i:D2}") { ["N"] = 1 };
            for (var d = 0; d < 15; d++) e[$"D{d}"] = new byte[TableBatchPlanner.MaxPropertyBytes];
            return e;
        }).ToArray();

        var batches = TableBatchPlanner.Plan(entities);

        Assert.True(batches.Count > 1);
        Assert.All(batches, b => Assert.True(b.EstimatedBytes <= TableBatchPlanner.MaxTransactionBytes, $"{b.EstimatedBytes} bytes"));
        Assert.All(batches, b => Assert.True(b.Entities.Count < 4));
        Assert.Equal(20, batches.Sum(b => b.Entities.Count));
    }

    [Fact]
    public void PayloadEstimateCountsBinaryAsBase64()
    {
        var e = Entity("p", "r", 30_000);
        Assert.True(TableBatchPlanner.PayloadBytes(e) >= 40_000);
    }

    [Theory]
    [InlineData("a/b", "/")]
    [InlineData("a\\b", "\\")]
    [InlineData("a#b", "#")]
    [InlineData("a?b", "?")]
    public void KeysWithForbiddenCharactersAreRefusedNamingTheCharacter(string key, string character)
    {
        var ex = Assert.Throws<ArgumentException>(() => TableBatchPlanner.Plan([Entity(key, "r")]));
        Assert.Contains($"'{character}'", ex.Message);
        Assert.Contains("PartitionKey", ex.Message);

        var rk = Assert.Throws<ArgumentException>(() => TableBatchPlanner.Plan([Entity("p", key)]));
        Assert.Contains("RowKey", rk.Message);
    }

    [Theory]
    [InlineData('\u0000')]
    [InlineData('\t')]
    [InlineData('\u001f')]
    [InlineData('\u007f')]
    [InlineData('\u0085')]
    public void KeysWithControlCharactersAreRefused(char control)
    {
        var ex = Assert.Throws<ArgumentException>(() => TableBatchPlanner.ValidateKey($"v1_{control}x", "RowKey"));
        Assert.Contains("control character", ex.Message);
        Assert.Contains($"U+{(int)control:X4}", ex.Message);
    }

    [Fact]
    public void KeysLongerThanOneKibibyteAreRefused()
    {
        TableBatchPlanner.ValidateKey(new string('k', 512), "RowKey");
        var ex = Assert.Throws<ArgumentException>(() => TableBatchPlanner.ValidateKey(new string('k', 513), "RowKey"));
        Assert.Contains("1 KiB", ex.Message);
    }

    [Fact]
    public void OurKeysPassValidation()
    {
        TableBatchPlanner.ValidateKey("v322r0_ptp-practitioner_0001A"[..26], "PartitionKey");
        TableBatchPlanner.ValidateKey("v322r0_mue-dme", "PartitionKey");
        TableBatchPlanner.ValidateKey("~vocab", "RowKey");
    }

    [Fact]
    public void APropertyOverSixtyFourKibibytesIsRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => TableBatchPlanner.ValidateEntity(Entity("p", "r", TableBatchPlanner.MaxPropertyBytes + 1)));
        Assert.Contains("'D0'", ex.Message);
        Assert.Contains("at most 65,536", ex.Message);
        TableBatchPlanner.ValidateEntity(Entity("p", "r", TableBatchPlanner.MaxPropertyBytes));
    }

    [Fact]
    public void ALongStringPropertyIsRefused()
    {
        var e = new TableEntity("p", "r") { ["S"] = new string('x', 32 * 1024 + 1) };
        Assert.Throws<ArgumentException>(() => TableBatchPlanner.ValidateEntity(e));
    }

    [Fact]
    public void LargePayloadsSplitIntoPropertiesOnRecordBoundaries()
    {
        var data = Enumerable.Range(0, 200_007).Select(i => (byte)i).ToArray(); // 22,223 records of 9 bytes
        var parts = TableBatchPlanner.SplitIntoProperties(data, "D", recordBytes: 9);

        Assert.Equal(["D0", "D1", "D2", "D3"], parts.Select(p => p.Key));
        Assert.All(parts, p => Assert.True(p.Value.Length <= TableBatchPlanner.MaxPropertyBytes));
        Assert.All(parts, p => Assert.Equal(0, p.Value.Length % 9));
        Assert.Equal(data, parts.SelectMany(p => p.Value).ToArray());
    }

    [Fact]
    public void AnEntityOverOneMebibyteIsRefused()
    {
        var e = new TableEntity("p", "r");
        for (var d = 0; d < 17; d++) e[$"D{d}"] = new byte[TableBatchPlanner.MaxPropertyBytes];

        var ex = Assert.Throws<ArgumentException>(() => TableBatchPlanner.Plan([e]));
        Assert.Contains("1 MiB", ex.Message);
    }

    [Fact]
    public void AnEntityJustUnderOneMebibyteIsAccepted()
    {
        var e = new TableEntity("p", "r");
        for (var d = 0; d < 15; d++) e[$"D{d}"] = new byte[TableBatchPlanner.MaxPropertyBytes];
        e["D15"] = new byte[TableBatchPlanner.MaxPropertyBytes - 1000]; // property names and keys count too

        Assert.Single(TableBatchPlanner.Plan([e]));
    }

    [Fact]
    public void TooManyPropertiesAreRefused()
    {
        var e = new TableEntity("p", "r");
        for (var i = 0; i < 253; i++) e[$"P{i}"] = i;
        var ex = Assert.Throws<ArgumentException>(() => TableBatchPlanner.ValidateEntity(e));
        Assert.Contains("252", ex.Message);
    }

    [Fact]
    public void ARowKeyRepeatedInAPartitionIsRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => TableBatchPlanner.Plan([Entity("p", "r"), Entity("p", "r")]));
        Assert.Contains("appears twice", ex.Message);
    }
}
