namespace CodePairs.Storage;

/// <summary>Containers, tables and queues CodePairs uses (the same names infra/ creates).
/// Blob containers: 3-63 lower-case letters, digits and hyphens; tables: 3-63 alphanumerics starting with a letter.</summary>
public static class StorageNames
{
    /// <summary>The connection setting for CodePairs' own data (a connection string locally, identity-based settings in Azure).</summary>
    public const string Connection = "CodePairsStorage";

    public const string SnapshotsContainer = "rules-snapshots";
    public const string IncomingContainer = "rules-incoming";
    public const string ArchiveContainer = "rules-archive";
    public const string BatchesInContainer = "batches-in";
    public const string BatchesOutContainer = "batches-out";

    public const string CatalogTable = "RuleCatalog";
    public const string EditsTable = "RuleEdits";
}
