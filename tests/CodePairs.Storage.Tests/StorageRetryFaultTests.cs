using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CodePairs.Storage;
using CodePairs.Tests.Shared;

namespace CodePairs.Storage.Tests;

/// <summary>Every kind of storage call the release protocol and the refresh make rides out each injected fault (twice in
/// a row) on the clients <see cref="StorageSettings"/> builds (the service's retry settings), and the writes among them
/// are idempotent when their first response was lost.</summary>
public sealed class StorageRetryFaultTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly StorageSettings Azurite = new(StorageNames.Connection, AzuriteFixture.ConnectionString, null, null, null, null, null);

    public static TheoryData<StorageFault, string> Cases()
    {
        var data = new TheoryData<StorageFault, string>();
        foreach (var fault in Enum.GetValues<StorageFault>().Where(f => f != StorageFault.Stall))
            foreach (var op in Operations.Keys) data.Add(fault, op);
        return data;
    }

    private static readonly Dictionary<string, Func<TableClient, BlobContainerClient, Task>> Operations = new()
    {
        ["table upsert"] = (t, _) => t.UpsertEntityAsync(new TableEntity("p", "a") { ["V"] = 1 }, TableUpdateMode.Replace),
        ["table get"] = (t, _) => t.GetEntityIfExistsAsync<TableEntity>("p", "seed"),
        ["table query"] = async (t, _) => { await foreach (var e in t.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"p"}"), select: ["RowKey"])) { } },
        ["table transaction"] = (t, _) => t.SubmitTransactionAsync(Enumerable.Range(0, 10).Select(i => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity("p", $"t{i}")))),
        ["table delete transaction"] = (t, _) => TableBatchWriter.DeleteAsync(t, new TableBatch("p", [new TableEntity("p", "d0"), new TableEntity("p", "d1")], 0), default),
        ["blob upload"] = (_, c) => c.GetBlobClient("u.bin").UploadAsync(new BinaryData(new byte[100_000]), new BlobUploadOptions { TransferOptions = StorageRetry.Transfer }),
        ["blob upload in blocks"] = (_, c) => c.GetBlobClient("big.bin").UploadAsync(new MemoryStream(new byte[StorageRetry.BlockBytes * 2 + 10]), new BlobUploadOptions { TransferOptions = StorageRetry.Transfer }),
        ["blob open read"] = async (_, c) => { await using var s = await c.GetBlobClient("seed.bin").OpenReadAsync(new BlobOpenReadOptions(false)); await s.CopyToAsync(Stream.Null); },
        ["blob properties"] = (_, c) => c.GetBlobClient("seed.bin").GetPropertiesAsync(),
        ["blob exists"] = (_, c) => c.GetBlobClient("seed.bin").ExistsAsync(),
        ["blob metadata"] = (_, c) => c.GetBlobClient("seed.bin").SetMetadataAsync(new Dictionary<string, string> { ["sha256"] = "x" }),
        ["blob list"] = async (_, c) => { await foreach (var b in c.GetBlobsAsync()) { } },
        ["container create"] = (_, c) => c.CreateIfNotExistsAsync(),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task EveryCallOfThePublishAndTheRefreshRidesOutAFaultTwiceInARow(StorageFault fault, string operation)
    {
        var (table, container) = await SeedAsync();
        var tries = 0;
        var policy = new FaultInjectionPolicy(1.0, kinds: [(fault, 1)]) { Applies = _ => Interlocked.Increment(ref tries) <= 2 };
        var faultyTable = Azurite.CreateTableServiceClient(o => FaultInjectionPolicy.Install(o, policy)).GetTableClient(table.Name);
        var faultyContainer = Azurite.CreateBlobServiceClient(o => FaultInjectionPolicy.Install(o, policy)).GetBlobContainerClient(container.Name);

        await Operations[operation](faultyTable, faultyContainer);

        Assert.Equal(2, policy.InjectedTotal);
    }

    private async Task<(TableClient, BlobContainerClient)> SeedAsync()
    {
        var table = azurite.Tables.GetTableClient(azurite.NewTableName("retry"));
        await table.CreateIfNotExistsAsync();
        await table.UpsertEntityAsync(new TableEntity("p", "seed"));
        await table.UpsertEntityAsync(new TableEntity("p", "d0"));
        await table.UpsertEntityAsync(new TableEntity("p", "d1"));
        var container = azurite.Blobs.GetBlobContainerClient(azurite.NewContainerName("retry"));
        await container.CreateIfNotExistsAsync();
        await container.GetBlobClient("seed.bin").UploadAsync(new BinaryData(new byte[5 * 1024 * 1024]));
        return (table, container);
    }
}
