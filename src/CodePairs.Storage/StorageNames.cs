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

/// <summary>Where one rule store lives: its catalogue and edits tables and its snapshot container. The service uses
/// <see cref="Default"/> (what infra/ creates); <c>rules publish</c> can be pointed at a store of its own (a staging
/// store in the same account, or a test's).</summary>
public sealed record RuleStoreNames(string CatalogTable, string EditsTable, string SnapshotsContainer)
{
    public static RuleStoreNames Default { get; } = new(StorageNames.CatalogTable, StorageNames.EditsTable, StorageNames.SnapshotsContainer);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first name Azure would refuse.</summary>
    public RuleStoreNames Validated()
    {
        if (!IsTableName(CatalogTable)) throw new ArgumentException($"catalogue table name '{CatalogTable}' must be 3-63 letters and digits, starting with a letter");
        if (!IsTableName(EditsTable)) throw new ArgumentException($"edits table name '{EditsTable}' must be 3-63 letters and digits, starting with a letter");
        if (string.Equals(CatalogTable, EditsTable, StringComparison.OrdinalIgnoreCase)) throw new ArgumentException("the catalogue and edits tables must differ");
        if (!IsContainerName(SnapshotsContainer))
            throw new ArgumentException($"snapshot container name '{SnapshotsContainer}' must be 3-63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit");
        return this;
    }

    public static bool IsTableName(string? name)
        => name is { Length: >= 3 and <= 63 } && char.IsAsciiLetter(name[0]) && name.All(char.IsAsciiLetterOrDigit);

    public static bool IsContainerName(string? name)
        => name is { Length: >= 3 and <= 63 } && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1])
           && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') && !name.Contains("--", StringComparison.Ordinal);
}
