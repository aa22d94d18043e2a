using CodePairs.Functions.Rules;
using CodePairs.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CodePairs.Functions.Tests.Storage;

/// <summary>One isolated rule store on the real Azurite (its own catalogue and edits tables and snapshot container),
/// the release protocol over it, and a worker's cache fed from it, as the service wires them.</summary>
internal sealed class StorageStack
{
    public StorageStack(AzuriteFixture azurite, TimeProvider? clock = null, IEnumerable<string>? packs = null)
    {
        AzuriteFixture.RequireAzurite();
        clock ??= TimeProvider.System;
        var catalogTable = azurite.NewTableName("catalog");
        EditsTable = azurite.NewTableName("edits");
        Catalog = new TableRuleCatalog(azurite.Tables, catalogTable, clock);
        Edits = new TableRuleEditsStore(azurite.Tables, EditsTable);
        Snapshots = new BlobSnapshotStore(azurite.Blobs, azurite.NewContainerName("snapshots"));
        Checkpoints = new TableCheckpointStore(azurite.Tables, catalogTable);
        Publisher = new RulePublisher(Catalog, Edits, Snapshots, Checkpoints, clock);
        Cache = new RuleSetCache(new StorageRuleSetSource(Catalog, new RuleSetLoader(Snapshots)),
            Options.Create(new RulesOptions { PollSeconds = 60, Packs = packs?.ToList() ?? ["cpt-77003"] }), clock, NullLogger<RuleSetCache>.Instance);
        CatalogTable = catalogTable;
    }

    public string CatalogTable { get; }
    public string EditsTable { get; }
    public TableRuleCatalog Catalog { get; }
    public TableRuleEditsStore Edits { get; }
    public BlobSnapshotStore Snapshots { get; }
    public TableCheckpointStore Checkpoints { get; }
    public RulePublisher Publisher { get; }
    public RuleSetCache Cache { get; }

    public async Task<RuleSetEntry> ActiveAsync()
        => (await Catalog.GetRuleSetAsync((await Catalog.GetActiveAsync(default))!.RuleSetId, default))!;
}
