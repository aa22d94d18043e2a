using Azure.Data.Tables;
using CodePairs.Cli;
using CodePairs.Storage;

namespace CodePairs.Cli.Tests;

/// <summary><c>rules publish</c> against the real Azurite that scripts/test.sh starts.</summary>
public sealed class PublishTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "codepairs-publish-" + Guid.NewGuid().ToString("N"));
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task PublishesASnapshotAndActivatesIt()
    {
        // This test owns the default table and container names in the test Azurite: start from nothing.
        var tables = new TableServiceClient("UseDevelopmentStorage=true");
        foreach (var table in new[] { StorageNames.CatalogTable, StorageNames.EditsTable }) await tables.DeleteTableAsync(table);
        await new Azure.Storage.Blobs.BlobServiceClient("UseDevelopmentStorage=true").GetBlobContainerClient(StorageNames.SnapshotsContainer).DeleteIfExistsAsync();

        var commands = new Commands(_out, _err);
        Assert.Equal(ExitCodes.Ok, commands.Generate(Path.Combine(_folder, "cms"), "small", 11, 0));
        var snap = Path.Combine(_folder, "rules.snap");
        Assert.Equal(ExitCodes.Ok, commands.Import([Path.Combine(_folder, "cms")], snap));
        _out.GetStringBuilder().Clear();

        var code = new PublishCommand(commands, _out, _err).Run([snap], "UseDevelopmentStorage=true", activate: true);
        Assert.True(code == ExitCodes.Ok, _err.ToString());
        Assert.Contains("published release v322r0 (effective 2026-07-01)", _out.ToString());
        Assert.Contains("active releases: v322r0", _out.ToString());

        var catalog = new TableRuleCatalog(tables);
        var entry = await catalog.GetAsync("v322r0", default);
        Assert.Equal(ReleaseStatus.Active, entry!.Status);
        Assert.Equal(["v322r0"], (await catalog.GetActiveAsync(default))!.ReleaseIds);

        // The same release again changes nothing; different content under the active id is refused, not mixed in.
        Assert.Equal(ExitCodes.Ok, new PublishCommand(commands, _out, _err).Run([snap], "UseDevelopmentStorage=true", activate: true));
        Assert.Equal(ExitCodes.Ok, commands.Generate(Path.Combine(_folder, "other"), "small", 12, 0));
        Assert.Equal(ExitCodes.Failed, new PublishCommand(commands, _out, _err).Run([Path.Combine(_folder, "other")], "UseDevelopmentStorage=true", activate: true));
        Assert.Contains("release v322r0 is active with different content", _err.ToString());
    }

    [Fact]
    public void SaysWhatToDoWhenStorageIsUnreachable()
    {
        var commands = new Commands(_out, _err);
        Assert.Equal(ExitCodes.Ok, commands.Generate(Path.Combine(_folder, "cms"), "small", 11, 0));
        const string nowhere = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;";
        var code = new PublishCommand(commands, _out, _err).Run([Path.Combine(_folder, "cms")], nowhere, activate: true);
        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains("could not publish to storage", _err.ToString());
    }
}
