using System.Collections.Concurrent;
using System.Diagnostics;
using Azure.Data.Tables;
using CodePairs.Storage;

namespace CodePairs.Storage.Tests;

/// <summary>The resumable, throttled write on a real Azurite: skipped partitions, per-partition callbacks, pacing.</summary>
public sealed class TableBatchWriterTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private async Task<TableClient> NewTableAsync()
    {
        AzuriteFixture.RequireAzurite();
        var table = azurite.Tables.GetTableClient(azurite.NewTableName("writer"));
        await table.CreateIfNotExistsAsync();
        return table;
    }

    private static IReadOnlyList<TableBatch> Batches(int partitions, int perPartition) => TableBatchPlanner.Plan(
        Enumerable.Range(0, partitions).SelectMany(p => Enumerable.Range(0, perPartition)
            .Select(r => new TableEntity($"p{p:D2}", $"r{r:D3}") { ["V"] = p * 1000 + r })).ToList());

    [Fact]
    public async Task SkipsCheckpointedPartitionsAndReportsEachCommittedOneOnce()
    {
        var table = await NewTableAsync();
        var committed = new ConcurrentBag<(string, int)>();

        var (entities, _) = await TableBatchWriter.WriteAsync(table, Batches(6, 150), null, new HashSet<string> { "p01", "p04" },
            (pk, n, _) => { committed.Add((pk, n)); return Task.CompletedTask; }, default);

        Assert.Equal(4 * 150, entities);
        Assert.Equal(["p00", "p02", "p03", "p05"], committed.Select(c => c.Item1).Order());
        Assert.All(committed, c => Assert.Equal(150, c.Item2));
        var stored = new List<string>();
        await foreach (var e in table.QueryAsync<TableEntity>(select: ["PartitionKey"])) stored.Add(e.PartitionKey);
        Assert.Equal(["p00", "p02", "p03", "p05"], stored.Distinct().Order());
    }

    [Fact]
    public async Task PacesTransactionsToTheEntityRate()
    {
        var table = await NewTableAsync();
        var watch = Stopwatch.StartNew();

        // 500 entities at 250/s: the last batch (≤ 50 entities) may start at 450/250 = 1.8 s at the earliest.
        await TableBatchWriter.WriteAsync(table, Batches(10, 50), null, null, null, default, maxEntitiesPerSecond: 250);

        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1.7), $"took {watch.Elapsed.TotalSeconds:F2} s");
    }
}
