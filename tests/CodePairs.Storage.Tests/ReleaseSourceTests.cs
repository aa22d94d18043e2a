using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CodePairs.Rules.Cms;

namespace CodePairs.Storage.Tests;

/// <summary>The drop container (<see cref="DropContainerSource"/>) and the candidates' files
/// (<see cref="BlobReleaseFiles"/>) on the real Azurite. The URL source is tested with its HTTP pipeline in
/// Functions.Tests (UrlSourceTests), where the host composes it.</summary>
public sealed class ReleaseSourceTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private async Task<BlobContainerClient> DropContainerAsync()
    {
        var container = azurite.Blobs.GetBlobContainerClient(azurite.NewContainerName("drop"));
        await container.CreateIfNotExistsAsync();
        return container;
    }

    private static Task Upload(BlobContainerClient container, string name, string text, IDictionary<string, string>? metadata = null)
        => container.GetBlobClient(name).UploadAsync(new BinaryData(text), new BlobUploadOptions { Metadata = metadata });

    [Fact]
    public async Task OnlyFoldersWithAReadyMarkerAndFilesAreDrops()
    {
        var container = await DropContainerAsync();
        await Upload(container, "v322r0/ptp-f1.zip", "a", new Dictionary<string, string> { ["sha256"] = "abc" });
        await Upload(container, "v322r0/mue.zip", "b");
        await Upload(container, "v322r0/nested/not-read.zip", "c");
        await Upload(container, "v322r0/ready", "");
        await Upload(container, "half-uploaded/ptp-f1.zip", "d");
        await Upload(container, "empty/ready", "");
        await Upload(container, "only-nested/mue/mue.zip", "e");
        await Upload(container, "only-nested/ready", "");

        var drops = await new DropContainerSource(azurite.Blobs, container.Name).DiscoverAsync(default);

        Assert.Equal(["only-nested", "v322r0"], drops.Select(d => d.Name).Order(StringComparer.Ordinal));
        var drop = drops.Single(d => d.Name == "v322r0");
        Assert.Equal("drop", drop.Source);
        Assert.Equal(
            [new IncomingFile("mue.zip", container.Name, "v322r0/mue.zip", 1, null), new IncomingFile("ptp-f1.zip", container.Name, "v322r0/ptp-f1.zip", 1, "abc")],
            drop.Files.OrderBy(f => f.Name, StringComparer.Ordinal));
        // A blob in a subfolder is not one of the release's files, and not lost either: the refresh fails the drop for it.
        Assert.Equal(["nested/not-read.zip"], drop.Nested);
        var onlyNested = drops.Single(d => d.Name == "only-nested");
        Assert.Empty(onlyNested.Files);
        Assert.Equal(["mue/mue.zip"], onlyNested.Nested);
    }

    [Fact]
    public async Task AMissingDropContainerHasNoDrops()
    {
        Assert.Empty(await new DropContainerSource(azurite.Blobs, azurite.NewContainerName("absent")).DiscoverAsync(default));
    }

    [Theory]
    [InlineData("v322r0", true)]
    [InlineData("2026-q4_ptp.1", true)]
    [InlineData("..", false)]
    [InlineData("a/b", false)]
    [InlineData("", false)]
    public void AFolderNameIsLettersDigitsAndDashUnderscoreDot(string name, bool valid)
        => Assert.Equal(valid, DropContainerSource.IsFolderName(name));

    [Fact]
    public async Task AFilesHashIsRecordedOnItAndItIsArchivedUnderTheHashOnce()
    {
        var container = await DropContainerAsync();
        var text = "file " + Guid.NewGuid();
        await Upload(container, "v322r0/ptp-f1.zip", text);
        var file = new IncomingFile("ptp-f1.zip", container.Name, "v322r0/ptp-f1.zip", text.Length, null);
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
        var files = new BlobReleaseFiles(azurite.Blobs);

        await files.RecordSha256Async(file, sha, default);
        await files.ArchiveAsync(file, sha, default);
        await files.ArchiveAsync(file, sha, default); // already archived: nothing happens

        Assert.Equal(sha, (await container.GetBlobClient(file.BlobName).GetPropertiesAsync()).Value.Metadata["sha256"]);
        var archived = azurite.Blobs.GetBlobContainerClient(StorageNames.ArchiveContainer).GetBlobClient($"{sha}/ptp-f1.zip");
        var properties = (await archived.GetPropertiesAsync()).Value;
        Assert.Equal((sha, $"{container.Name}/v322r0/ptp-f1.zip"), (properties.Metadata["sha256"], properties.Metadata["source"]));
        await using var read = await files.OpenReadAsync(file, default);
        Assert.Equal(text, await new StreamReader(read).ReadToEndAsync());
    }

    [Fact]
    public async Task AFileAlreadyInTheArchiveIsNotCopiedAgain()
    {
        var name = $"{Guid.NewGuid():N}/mue.zip";
        var file = new IncomingFile("mue.zip", StorageNames.ArchiveContainer, name, 1, "x");
        await new BlobReleaseFiles(azurite.Blobs).ArchiveAsync(file, "0000", default);

        Assert.False(await azurite.Blobs.GetBlobContainerClient(StorageNames.ArchiveContainer).GetBlobClient("0000/mue.zip").ExistsAsync());
    }

    [Fact]
    public void StorageFailuresAreToldFromFailuresOfTheData()
    {
        Assert.True(StorageFailures.IsStorageFailure(new RequestFailedException(503, "busy")));
        Assert.True(StorageFailures.IsStorageFailure(new TimeoutException()));
        Assert.True(StorageFailures.IsStorageFailure(new IOException("reset")));
        Assert.True(StorageFailures.IsStorageFailure(new AggregateException(new TimeoutException(), new RequestFailedException(500, "x"))));
        Assert.False(StorageFailures.IsStorageFailure(new AggregateException()));
        Assert.False(StorageFailures.IsStorageFailure(new CmsFileException("ptp.txt", 3, "bad date")));
        Assert.False(StorageFailures.IsStorageFailure(new EndOfStreamException()));
        Assert.True(StorageFailures.IsErrorAnswer(new RequestFailedException(412, "condition")));
        Assert.False(StorageFailures.IsErrorAnswer(new TimeoutException()));
    }
}
