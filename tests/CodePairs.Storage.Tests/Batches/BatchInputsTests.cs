using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using CodePairs.Storage.Batches;

namespace CodePairs.Storage.Tests.Batches;

/// <summary>The batch input container (<see cref="BlobBatchInputs"/>) and chunk queue (<see cref="QueueBatchChunks"/>) on
/// the real Azurite: properties, ranged and conditional reads that report a replaced blob in their own type, uploads.</summary>
public sealed class BatchInputsTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly StorageSettings Azurite = new(StorageNames.Connection, AzuriteFixture.ConnectionString, null, null, null, null, null);

    private async Task<(BlobContainerClient Container, BlobBatchInputs Inputs)> NewAsync()
    {
        var container = azurite.Blobs.GetBlobContainerClient(azurite.NewContainerName("bin"));
        var inputs = new BlobBatchInputs(container);
        await inputs.CreateIfNotExistsAsync(default);
        await inputs.CreateIfNotExistsAsync(default); // idempotent
        return (container, inputs);
    }

    [Fact]
    public async Task ABlobHasItsUnquotedETagAndLengthAndAMissingOneIsNull()
    {
        var (container, inputs) = await NewAsync();
        Assert.Equal(container.Name, inputs.Container);
        Assert.Null(await inputs.GetAsync("none.csv", default));
        var uploaded = (await container.GetBlobClient("a.csv").UploadAsync(BinaryData.FromString("claim_id\n"))).Value;

        var blob = await inputs.GetAsync("a.csv", default);

        Assert.Equal(new BatchInputBlob(uploaded.ETag.ToString().Trim('"'), 9), blob);
        Assert.DoesNotContain('"', blob!.ETag);
    }

    [Fact]
    public async Task ReadsStartAtTheGivenByteAndTheHeadIsOneRangedRead()
    {
        var (container, inputs) = await NewAsync();
        var text = string.Concat(Enumerable.Range(0, 10_000).Select(i => (char)('a' + i % 26)));
        await container.GetBlobClient("a.csv").UploadAsync(BinaryData.FromString(text));
        var etag = (await inputs.GetAsync("a.csv", default))!.ETag;

        await using (var stream = await inputs.OpenReadAsync("a.csv", etag, 9_990, default))
            Assert.Equal(text[9_990..], await new StreamReader(stream).ReadToEndAsync());
        Assert.Equal(text[..64], Encoding.ASCII.GetString(await inputs.ReadHeadAsync("a.csv", etag, 64, default)));
        Assert.Equal(text, Encoding.ASCII.GetString(await inputs.ReadHeadAsync("a.csv", etag, 1 << 20, default))); // shorter than asked
    }

    [Fact]
    public async Task AnEmptyBlobHasAnEmptyHead()
    {
        var (container, inputs) = await NewAsync();
        await container.GetBlobClient("empty.txt").UploadAsync(BinaryData.FromString(""));
        var etag = (await inputs.GetAsync("empty.txt", default))!.ETag;
        Assert.Empty(await inputs.ReadHeadAsync("empty.txt", etag, 64, default));
    }

    [Fact]
    public async Task AReplacedBlobIsReportedAsChangedOnOpenOnTheHeadAndInTheMiddleOfARead()
    {
        var (container, inputs) = await NewAsync();
        var blob = container.GetBlobClient("a.csv");
        var big = new byte[12 * 1024 * 1024]; // three of the reader's 4 MiB requests
        Random.Shared.NextBytes(big);
        await blob.UploadAsync(new BinaryData(big));
        var etag = (await inputs.GetAsync("a.csv", default))!.ETag;
        var stream = await inputs.OpenReadAsync("a.csv", etag, 0, default);
        var buffer = new byte[1024];
        Assert.Equal(1024, await stream.ReadAtLeastAsync(buffer, 1024));

        await blob.UploadAsync(BinaryData.FromString("new"), overwrite: true);

        await Assert.ThrowsAsync<BatchInputChangedException>(() => inputs.OpenReadAsync("a.csv", etag, 0, default));
        await Assert.ThrowsAsync<BatchInputChangedException>(() => inputs.ReadHeadAsync("a.csv", etag, 64, default));
        var changed = await Assert.ThrowsAsync<BatchInputChangedException>(async () =>
        {
            while (await stream.ReadAsync(buffer) > 0) { }
        });
        Assert.Contains("replaced", changed.Message);
        await stream.DisposeAsync();
    }

    [Fact]
    public async Task AnUploadStreamsTheBodyWithItsContentTypeAndReturnsTheUnquotedETag()
    {
        var (container, inputs) = await NewAsync();
        var body = new byte[9 * 1024 * 1024 + 7]; // more than two 4 MiB blocks
        Random.Shared.NextBytes(body);

        var etag = await inputs.UploadAsync("api/x.csv", new MemoryStream(body), "text/csv", default);

        var properties = (await container.GetBlobClient("api/x.csv").GetPropertiesAsync()).Value;
        Assert.Equal(properties.ETag.ToString().Trim('"'), etag);
        Assert.Equal(("text/csv", (long)body.Length), (properties.ContentType, properties.ContentLength));
        Assert.Equal(body, (await container.GetBlobClient("api/x.csv").DownloadContentAsync()).Value.Content.ToArray());
    }

    [Fact]
    public async Task AnUploadBodyThatThrowsReachesTheCallerAndCommitsNothing()
    {
        var (container, inputs) = await NewAsync();
        await Assert.ThrowsAsync<FormatException>(() => inputs.UploadAsync("api/y.csv", new ThrowingStream(5 * 1024 * 1024), "text/csv", default));
        Assert.False((await container.GetBlobClient("api/y.csv").ExistsAsync()).Value);
    }

    [Fact]
    public async Task ChunkMessagesAreJsonInTheQueueTriggersBase64AndTheQueueIsCreatedOnFirstUse()
    {
        AzuriteFixture.RequireAzurite();
        var queues = Azurite.CreateQueueServiceClient();
        var queue = queues.GetQueueClient("chunks-" + Guid.NewGuid().ToString("N")[..16]);
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var chunks = new QueueBatchChunks(queue, json);
        Assert.Equal(queue.Name, chunks.Name);
        Assert.False((await queue.ExistsAsync()).Value);
        try
        {
            await chunks.SendAsync(new { Container = "batches-in", Index = 1 }, default);
            await chunks.SendAsync(new { Container = "batches-in", Index = 2 }, default);

            // What the host's queue trigger reads: Base64 of the UTF-8 JSON.
            var raw = new QueueClient(AzuriteFixture.ConnectionString, queue.Name);
            var messages = (await raw.ReceiveMessagesAsync(10)).Value;
            Assert.Equal(["""{"container":"batches-in","index":1}""", """{"container":"batches-in","index":2}"""],
                messages.Select(m => Encoding.UTF8.GetString(Convert.FromBase64String(m.Body.ToString()))).Order(StringComparer.Ordinal));
        }
        finally { await queue.DeleteIfExistsAsync(); }
    }

    /// <summary>A body that fails part way, as a size cap does.</summary>
    private sealed class ThrowingStream(long failAt) : Stream
    {
        private long _position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position >= failAt) throw new FormatException("too large");
            var n = (int)Math.Min(count, failAt - _position + 1);
            _position += n;
            return n;
        }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
