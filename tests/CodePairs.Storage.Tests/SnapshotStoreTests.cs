using System.Security.Cryptography;
using CodePairs.Storage;

namespace CodePairs.Storage.Tests;

public sealed class SnapshotStoreTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private BlobSnapshotStore NewStore(out string container)
    {
        AzuriteFixture.RequireAzurite();
        container = azurite.NewContainerName("snapshots");
        return new BlobSnapshotStore(azurite.Blobs, container);
    }

    private static readonly string V322 = BlobSnapshotStore.VersionBlob(CodePairs.Rules.TableId.PtpPractitioner, "v322r0-00000000");
    private static readonly string V321 = BlobSnapshotStore.VersionBlob(CodePairs.Rules.TableId.PtpPractitioner, "v321r0-00000000");
    private static readonly string V320 = BlobSnapshotStore.RuleSetBlob("rs-000000000000");

    private static byte[] Payload(int length, int seed) { var b = new byte[length]; new Random(seed).NextBytes(b); return b; }

    [Fact]
    public async Task UploadReturnsTheSha256AndOpenReadGivesTheSameBytes()
    {
        var store = NewStore(out var container);
        var bytes = Payload(3 * 1024 * 1024 + 17, 1);

        var sha = await store.UploadAsync(V322, new MemoryStream(bytes), default);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), sha);
        await using var read = await store.OpenReadAsync(V322, default);
        var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());

        var props = await azurite.Blobs.GetBlobContainerClient(container).GetBlobClient("tables/ptp-practitioner/v322r0-00000000.snapshot").GetPropertiesAsync();
        Assert.Equal(sha, props.Value.Metadata["sha256"]);
        Assert.Equal(sha, await store.GetSha256Async(V322, default));
    }

    [Fact]
    public async Task ANonSeekableStreamIsHashedAndUploadedWhole()
    {
        var store = NewStore(out _);
        var bytes = Payload(200_000, 2);

        var sha = await store.UploadAsync(V321, new NonSeekable(bytes), default);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), sha);
        await using var read = await store.OpenReadAsync(V321, default);
        var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public async Task UploadingAgainReplacesTheSnapshot()
    {
        var store = NewStore(out _);
        await store.UploadAsync(V322, new MemoryStream(Payload(1000, 3)), default);
        var second = Payload(500, 4);
        var sha = await store.UploadAsync(V322, new MemoryStream(second), default);

        Assert.Equal(sha, await store.GetSha256Async(V322, default));
        await using var read = await store.OpenReadAsync(V322, default);
        Assert.Equal(500, read.Length);
    }

    [Fact]
    public async Task OpeningAMissingSnapshotSaysWhichBlob()
    {
        var store = NewStore(out var container);
        await store.UploadAsync(V320, new MemoryStream([1, 2, 3]), default); // the container exists

        var ex = await Assert.ThrowsAsync<SnapshotNotFoundException>(() => store.OpenReadAsync(BlobSnapshotStore.RuleSetBlob("rs-0000000000ff"), default));
        Assert.Contains($"{container}/rulesets/rs-0000000000ff.snapshot", ex.Message);
    }

    [Theory]
    [InlineData("../batches-out/x.snapshot")]
    [InlineData("tables/ptp-practitioner/../../x.snapshot")]
    [InlineData("tables/nope/v322r0-00000000.snapshot")]
    [InlineData("rulesets/rs-0.snapshot")]
    [InlineData("v322r0.snapshot")]
    public async Task NamesOfAnotherShapeNeverReachTheContainer(string name)
    {
        var store = NewStore(out _);
        await Assert.ThrowsAsync<ArgumentException>(() => store.UploadAsync(name, new MemoryStream([1]), default));
        await Assert.ThrowsAsync<ArgumentException>(() => store.OpenReadAsync(name, default));
    }

    private sealed class NonSeekable(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
        public override long Position { get => base.Position; set => throw new NotSupportedException(); }
        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();
        public override long Length => throw new NotSupportedException();
    }
}
