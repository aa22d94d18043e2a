using Azure.Data.Tables;
using CodePairs.Cli;
using CodePairs.Rules;
using CodePairs.Storage;

namespace CodePairs.Cli.Tests;

/// <summary><c>rules publish</c> against the real Azurite that scripts/test.sh starts, each test in a rule store of its
/// own (<c>--catalog-table</c>, <c>--edits-table</c>, <c>--snapshots-container</c>), never the default names another
/// run on the same Azurite may be using.</summary>
public sealed class PublishTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "codepairs-publish-" + Guid.NewGuid().ToString("N"));
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();
    private readonly RuleStoreNames _names = PublishStores.NewNames();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
        await PublishStores.DeleteAsync(_names);
    }

    [Fact]
    public async Task PublishesASnapshotActivatesItAndLaysALaterMueOnlyDropOverIt()
    {
        var tables = new TableServiceClient("UseDevelopmentStorage=true");
        var commands = new Commands(_out, _err);
        Assert.Equal(ExitCodes.Ok, commands.Generate(Path.Combine(_folder, "cms"), "small", 11, 0));
        var snap = Path.Combine(_folder, "rules.snap");
        Assert.Equal(ExitCodes.Ok, commands.Import([Path.Combine(_folder, "cms")], snap));
        _out.GetStringBuilder().Clear();

        var code = new PublishCommand(commands, _out, _err).Run([snap], "UseDevelopmentStorage=true", activate: true, names: _names);
        Assert.True(code == ExitCodes.Ok, _err.ToString());
        Assert.Contains("published 6 table version(s)", _out.ToString());
        Assert.Matches(@"ptp-practitioner\s+v322r0\s+from 2026-07-01\s+[\d,]+ rows  written and verified", _out.ToString());

        var catalog = new TableRuleCatalog(tables, _names.CatalogTable);
        var first = (await catalog.GetActiveAsync(default))!.RuleSetId;
        Assert.Contains($"active rule set: {first} (previous: none)", _out.ToString());
        Assert.Equal(RuleSetStatus.Active, (await catalog.GetRuleSetAsync(first, default))!.Status);

        // The same tables again change nothing.
        _out.GetStringBuilder().Clear();
        Assert.Equal(ExitCodes.Ok, new PublishCommand(commands, _out, _err).Run([snap], "UseDevelopmentStorage=true", activate: true, names: _names));
        Assert.Contains("already holds every version: nothing changed", _out.ToString());
        Assert.Equal(first, (await catalog.GetActiveAsync(default))!.RuleSetId);

        // An MUE-only drop of the next quarter: the PTP and AOC versions carry over, the previous rule set is retired.
        Assert.Equal(ExitCodes.Ok, commands.Generate(Path.Combine(_folder, "mue"), "small", 12, 0, "v323r0", "mue"));
        _out.GetStringBuilder().Clear();
        Assert.Equal(ExitCodes.Ok, new PublishCommand(commands, _out, _err).Run([Path.Combine(_folder, "mue")], "UseDevelopmentStorage=true", activate: true, names: _names));
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
        // (one retry: the message is the point, not the ≈ 25 s of backoff the real setting spends first)
        var code = new PublishCommand(commands, _out, _err) { ConfigureClients = o => o.Retry.MaxRetries = 1 }
            .Run([Path.Combine(_folder, "cms")], nowhere, activate: true, names: _names);
        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains("could not publish to storage", _err.ToString());
    }

    [Theory]
    [InlineData("Rule_Catalog", "RuleEdits", "rules-snapshots", "catalogue table name")]
    [InlineData("RuleCatalog", "ab", "rules-snapshots", "edits table name")]
    [InlineData("RuleCatalog", "RuleCatalog", "rules-snapshots", "must differ")]
    [InlineData("RuleCatalog", "RuleEdits", "Rules-Snapshots", "snapshot container name")]
    [InlineData("RuleCatalog", "RuleEdits", "../batches-out", "snapshot container name")]
    public void AStoreNameAzureWouldRefuseIsAUsageError(string catalog, string edits, string snapshots, string expected)
    {
        var code = new PublishCommand(new Commands(_out, _err), _out, _err).Run([_folder], "UseDevelopmentStorage=true", activate: true,
            names: new RuleStoreNames(catalog, edits, snapshots));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(expected, _err.ToString());
    }
}
