using Azure.Data.Tables;
using Azure.Storage.Blobs;
using CodePairs.Functions.RuleSets;
using CodePairs.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CodePairs.Functions.Tests.Storage;

/// <summary>One isolated rule store on the real Azurite (its own catalogue and edits tables and snapshot container),
/// the release protocol over it, and a worker's cache fed from it, as the service wires them.</summary>
/// <param name="tables">The stores' Table client (default: the fixture's; fault tests pass one that fails requests).</param>
/// <param name="blobs">The stores' Blob client (default: the fixture's).</param>
internal sealed class StorageStack
{
    public StorageStack(AzuriteFixture azurite, TimeProvider? clock = null, IEnumerable<string>? packs = null,
        TableServiceClient? tables = null, BlobServiceClient? blobs = null)
    {
        AzuriteFixture.RequireAzurite();
        clock ??= TimeProvider.System;
        tables ??= azurite.Tables;
        blobs ??= azurite.Blobs;
        var catalogTable = azurite.NewTableName("catalog");
        EditsTable = azurite.NewTableName("edits");
        SnapshotsContainer = azurite.NewContainerName("snapshots");
        Catalog = new TableRuleCatalog(tables, catalogTable, clock);
        Edits = new TableRuleEditsStore(tables, EditsTable);
        Snapshots = new BlobSnapshotStore(blobs, SnapshotsContainer);
        Checkpoints = new TableCheckpointStore(tables, catalogTable);
        Publisher = new RulePublisher(Catalog, Edits, Snapshots, Checkpoints, clock);
        Cache = new RuleSetCache(new StorageRuleSetSource(Catalog, new RuleSetLoader(Snapshots)),
            Options.Create(new RulesOptions { PollSeconds = 60, Packs = packs?.ToList() ?? ["cpt-77003"] }), clock, NullLogger<RuleSetCache>.Instance);
        CatalogTable = catalogTable;
    }

    public string CatalogTable { get; }
    public string EditsTable { get; }
    public string SnapshotsContainer { get; }
    public RuleStoreNames Names => new(CatalogTable, EditsTable, SnapshotsContainer);
    public TableRuleCatalog Catalog { get; }
    public TableRuleEditsStore Edits { get; }
    public BlobSnapshotStore Snapshots { get; }
    public TableCheckpointStore Checkpoints { get; }
    public RulePublisher Publisher { get; }
    public RuleSetCache Cache { get; }

    public async Task<RuleSetEntry> ActiveAsync()
        => (await Catalog.GetRuleSetAsync((await Catalog.GetActiveAsync(default))!.RuleSetId, default))!;
}
