using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using CodePairs.Storage.Batches;

namespace CodePairs.Storage.Tests.Batches;

/// <summary>The batch output container (<see cref="BlobBatchOutputs"/>, <see cref="StagedBlocks"/>) on the real Azurite:
/// documents by name with their create-once condition, staged blocks with deterministic ids, one commit.</summary>
public sealed class BatchOutputsTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private sealed record Doc(string Id, int Count);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private async Task<(BlobContainerClient Container, BlobBatchOutputs Outputs)> NewAsync()
    {
        var container = azurite.Blobs.GetBlobContainerClient(azurite.NewContainerName("bout"));
        var outputs = new BlobBatchOutputs(container, Json);
        await outputs.CreateIfNotExistsAsync(default);
        await outputs.CreateIfNotExistsAsync(default); // idempotent
        return (container, outputs);
    }

    [Fact]
    public async Task ADocumentIsCreatedOnceAndTheFirstStands()
    {
        var (container, outputs) = await NewAsync();
        Assert.Equal(container.Name, outputs.Container);
        Assert.Null(await outputs.ReadAsync<Doc>("b/plan.json", default));
        Assert.False(await outputs.ExistsAsync("b/plan.json", default));

        Assert.True(await outputs.TryCreateAsync("b/plan.json", new Doc("first", 1), default));
        Assert.False(await outputs.TryCreateAsync("b/plan.json", new Doc("second", 2), default));

        Assert.True(await outputs.ExistsAsync("b/plan.json", default));
        Assert.Equal(new Doc("first", 1), await outputs.ReadAsync<Doc>("b/plan.json", default));
        // The bytes are the caller's JSON options' (the batch documents are read byte for byte).
        var raw = (await container.GetBlobClient("b/plan.json").DownloadContentAsync()).Value.Content.ToString();
        Assert.Equal(JsonSerializer.Serialize(new Doc("first", 1), Json), raw);
    }

    [Fact]
    public async Task WriteOverwritesAndListShowsMetadataOnlyWhenAsked()
    {
        var (_, outputs) = await NewAsync();
        await outputs.WriteAsync("b/status.json", new Doc("running", 0), default);
        await outputs.WriteAsync("b/status.json", new Doc("completed", 3), default);
        Assert.Equal(new Doc("completed", 3), await outputs.ReadAsync<Doc>("b/status.json", default));

        await outputs.WriteAsync("b/chunks/000001.json", new Doc("c1", 5), default, new Dictionary<string, string> { ["lines"] = "5" });
        await outputs.WriteAsync("b/chunks/000000.json", new Doc("c0", 7), default, new Dictionary<string, string> { ["lines"] = "7" });
        await outputs.WriteAsync("other/chunks/000000.json", new Doc("x", 1), default);

        var listed = await outputs.ListAsync("b/chunks/", metadata: true, default);
        Assert.Equal(["b/chunks/000000.json", "b/chunks/000001.json"], listed.Select(i => i.Name));
        Assert.Equal(["7", "5"], listed.Select(i => i.Metadata["lines"]));
        Assert.All(await outputs.ListAsync("b/chunks/", metadata: false, default), i => Assert.Empty(i.Metadata));
        Assert.Empty(await outputs.ListAsync("none/", metadata: false, default));
    }

    [Fact]
    public async Task StagedPartsHaveDeterministicIdsAndNothingShowsUntilTheCommit()
    {
        var (container, outputs) = await NewAsync();
        var parts = new List<int>();
        var bytes = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 30_000).Select(i => (char)('a' + i % 26))));
        const int partBytes = 64 * 1024;
        var data = Enumerable.Repeat(bytes, 5).SelectMany(b => b).ToArray(); // 150,000 bytes: 3 parts, the last shorter

        for (var run = 0; run < 2; run++) // a rerun stages the same bytes under the same ids
        {
            using var staged = outputs.Stage("b/results.csv", chunk: 3, partBytes, parts.Add, default);
            foreach (var piece in data.Chunk(7_777)) staged.Write(piece);
            staged.Complete();
            Assert.Equal(3, staged.Parts);
        }
        Assert.Equal([1, 2, 3, 1, 2, 3], parts);

        var block = container.GetBlockBlobClient("b/results.csv");
        var list = (await block.GetBlockListAsync(BlockListTypes.Uncommitted)).Value;
        Assert.Equal(new[] { BatchBlocks.Id(3, 0), BatchBlocks.Id(3, 1), BatchBlocks.Id(3, 2) }.Order(StringComparer.Ordinal),
            list.UncommittedBlocks.Select(b => b.Name).Order(StringComparer.Ordinal));
        Assert.Equal([partBytes, partBytes, data.Length - 2 * partBytes], list.UncommittedBlocks.OrderBy(b => b.Name, StringComparer.Ordinal).Select(b => b.SizeLong));
        Assert.False(await block.ExistsAsync());

        await outputs.CommitAsync("b/results.csv", Enumerable.Range(0, 3).Select(p => BatchBlocks.Id(3, p)), "text/csv; charset=utf-8", default);
        await outputs.CommitAsync("b/results.csv", Enumerable.Range(0, 3).Select(p => BatchBlocks.Id(3, p)), "text/csv; charset=utf-8", default); // idempotent

        var content = (await block.DownloadContentAsync()).Value;
        Assert.Equal(data, content.Content.ToArray());
        Assert.Equal("text/csv; charset=utf-8", content.Details.ContentType);
    }

    [Fact]
    public async Task AnEmptyStagingCommitsAnEmptyBlob()
    {
        var (container, outputs) = await NewAsync();
        using (var staged = outputs.Stage("b/rejected.csv", chunk: 0, 64 * 1024, null, default))
        {
            staged.Complete();
            Assert.Equal(0, staged.Parts);
        }
        await outputs.CommitAsync("b/rejected.csv", [], "text/csv; charset=utf-8", default);
        Assert.Equal(0, (await container.GetBlobClient("b/rejected.csv").GetPropertiesAsync()).Value.ContentLength);
    }

    /// <summary>Each staged part and each document goes with the MD5 of its bytes (StorageRetry.ConfigureUploads on the
    /// service's clients), and storage refuses a block whose bytes do not match the MD5 it came with.</summary>
    [Fact]
    public async Task EveryPartAndDocumentIsSentWithItsMd5AndStorageRefusesABlockThatDoesNotMatchIt()
    {
        var sent = new Headers();
        var blobs = new StorageSettings(StorageNames.Connection, AzuriteFixture.ConnectionString, null, null, null, null, null)
            .CreateBlobServiceClient(o => o.AddPolicy(sent, Azure.Core.HttpPipelinePosition.BeforeTransport));
        var container = blobs.GetBlobContainerClient(azurite.NewContainerName("bmd5"));
        var outputs = new BlobBatchOutputs(container, Json);
        await outputs.CreateIfNotExistsAsync(default);
        var data = Enumerable.Range(0, 150_000).Select(i => (byte)('a' + i % 26)).ToArray();
        const int partBytes = 64 * 1024;

        using (var staged = outputs.Stage("b/results.csv", chunk: 0, partBytes, null, default))
        {
            staged.Write(data);
            staged.Complete();
        }
        await outputs.WriteAsync("b/status.json", new Doc("completed", 3), default);

        var expected = data.Chunk(partBytes).Select(p => Convert.ToBase64String(System.Security.Cryptography.MD5.HashData(p))).ToArray();
        Assert.Equal(expected, sent.Md5Of("comp=block"));
        var status = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Doc("completed", 3), Json));
        Assert.Equal([Convert.ToBase64String(System.Security.Cryptography.MD5.HashData(status))], sent.Md5Of("b%2Fstatus.json", "b/status.json"));

        var wrong = new Azure.Storage.UploadTransferValidationOptions
        {
            ChecksumAlgorithm = Azure.Storage.StorageChecksumAlgorithm.MD5, PrecalculatedChecksum = System.Security.Cryptography.MD5.HashData("other"u8),
        };
        var refused = await Assert.ThrowsAsync<Azure.RequestFailedException>(() => container.GetBlockBlobClient("b/results.csv")
            .StageBlockAsync(BatchBlocks.Id(0, 9), new MemoryStream(data, 0, 100), new BlockBlobStageBlockOptions { TransferValidation = wrong }));
        Assert.Equal("Md5Mismatch", refused.ErrorCode);
    }

    /// <summary>The Content-MD5 header of each request that reached the transport, by a part of its URI.</summary>
    private sealed class Headers : Azure.Core.Pipeline.HttpPipelineSynchronousPolicy
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<(string Uri, string Md5)> _sent = new();

        public override void OnSendingRequest(Azure.Core.HttpMessage message)
            => _sent.Enqueue((message.Request.Uri.ToString(), message.Request.Headers.TryGetValue("Content-MD5", out var md5) ? md5 : "(none)"));

        public string[] Md5Of(params string[] uriParts)
            => _sent.Where(s => uriParts.Any(p => s.Uri.Contains(p, StringComparison.Ordinal))).Select(s => s.Md5).ToArray();
    }

    [Fact]
    public void ABlockIdNamesItsChunkAndPart()
        => Assert.Equal(Convert.ToBase64String(Encoding.ASCII.GetBytes("chunk-000012-000345")), BatchBlocks.Id(12, 345));
}
