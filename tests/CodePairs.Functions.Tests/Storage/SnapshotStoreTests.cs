using System.Security.Cryptography;
using CodePairs.Storage;

namespace CodePairs.Functions.Tests.Storage;

public sealed class SnapshotStoreTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private BlobSnapshotStore NewStore(out string container)
    {
        AzuriteFixture.RequireAzurite();
        container = azurite.NewContainerName("snapshots");
        return new BlobSnapshotStore(azurite.Blobs, container);
    }

    private static byte[] Payload(int length, int seed) { var b = new byte[length]; new Random(seed).NextBytes(b); return b; }

    [Fact]
    public async Task UploadReturnsTheSha256AndOpenReadGivesTheSameBytes()
    {
        var store = NewStore(out var container);
        var bytes = Payload(3 * 1024 * 1024 + 17, 1);

        var sha = await store.UploadAsync("v322r0", new MemoryStream(bytes), default);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), sha);
        await using var read = await store.OpenReadAsync("v322r0", default);
        var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());

        var props = await azurite.Blobs.GetBlobContainerClient(container).GetBlobClient("v322r0.snapshot").GetPropertiesAsync();
        Assert.Equal(sha, props.Value.Metadata["sha256"]);
        Assert.Equal(sha, await store.GetSha256Async("v322r0", default));
    }

    [Fact]
    public async Task ANonSeekableStreamIsHashedAndUploadedWhole()
    {
        var store = NewStore(out _);
        var bytes = Payload(200_000, 2);

        var sha = await store.UploadAsync("v321r0", new NonSeekable(bytes), default);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), sha);
        await using var read = await store.OpenReadAsync("v321r0", default);
        var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public async Task UploadingAgainReplacesTheSnapshot()
    {
        var store = NewStore(out _);
        await store.UploadAsync("v322r0", new MemoryStream(Payload(1000, 3)), default);
        var second = Payload(500, 4);
        var sha = await store.UploadAsync("v322r0", new MemoryStream(second), default);

        Assert.Equal(sha, await store.GetSha256Async("v322r0", default));
        await using var read = await store.OpenReadAsync("v322r0", default);
        Assert.Equal(500, read.Length);
    }

    [Fact]
    public async Task OpeningAMissingSnapshotSaysWhichReleaseAndBlob()
    {
        var store = NewStore(out var container);
        await store.UploadAsync("v320r0", new MemoryStream([1, 2, 3]), default); // the container exists

        var ex = await Assert.ThrowsAsync<SnapshotNotFoundException>(() => store.OpenReadAsync("v399r0", default));
        Assert.Contains("v399r0", ex.Message);
        Assert.Contains($"{container}/v399r0.snapshot", ex.Message);
    }

    private sealed class NonSeekable(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
        public override long Position { get => base.Position; set => throw new NotSupportedException(); }
        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();
        public override long Length => throw new NotSupportedException();
    }
}
