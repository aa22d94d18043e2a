using Azure.Data.Tables;
using CodePairs.Cli;
using CodePairs.Rules;
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
    public async Task PublishesASnapshotActivatesItAndLaysALaterMueOnlyDropOverIt()
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
        Assert.Contains("published 6 table version(s)", _out.ToString());
        Assert.Matches(@"ptp-practitioner\s+v322r0\s+from 2026-07-01\s+[\d,]+ rows  written and verified", _out.ToString());

        var catalog = new TableRuleCatalog(tables);
        var first = (await catalog.GetActiveAsync(default))!.RuleSetId;
        Assert.Contains($"active rule set: {first} (previous: none)", _out.ToString());
        Assert.Equal(RuleSetStatus.Active, (await catalog.GetRuleSetAsync(first, default))!.Status);

        // The same tables again change nothing.
        _out.GetStringBuilder().Clear();
        Assert.Equal(ExitCodes.Ok, new PublishCommand(commands, _out, _err).Run([snap], "UseDevelopmentStorage=true", activate: true));
        Assert.Contains("already holds every version: nothing changed", _out.ToString());
        Assert.Equal(first, (await catalog.GetActiveAsync(default))!.RuleSetId);

        // An MUE-only drop of the next quarter: the PTP and AOC versions carry over, the previous rule set is retired.
        Assert.Equal(ExitCodes.Ok, commands.Generate(Path.Combine(_folder, "mue"), "small", 12, 0, "v323r0", "mue"));
        _out.GetStringBuilder().Clear();
        Assert.Equal(ExitCodes.Ok, new PublishCommand(commands, _out, _err).Run([Path.Combine(_folder, "mue")], "UseDevelopmentStorage=true", activate: true));
        var second = await catalog.GetRuleSetAsync((await catalog.GetActiveAsync(default))!.RuleSetId, default);
        Assert.Equal(first, second!.Previous);
        Assert.Equal(9, second.Tables.Count);
        Assert.Equal(["2026-07-01", "2026-10-01"], second.Tables.Where(t => t.Table == TableId.MuePractitioner).Select(t => t.Version));
        Assert.Equal(RuleSetStatus.Retired, (await catalog.GetRuleSetAsync(first, default))!.Status);
        Assert.Contains("mue-practitioner   2026-07-01 (from 2026-07-01), 2026-10-01 (from 2026-10-01)", _out.ToString());
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
