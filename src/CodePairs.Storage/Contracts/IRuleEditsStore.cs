using CodePairs.Rules;

namespace CodePairs.Storage;

/// <summary>The released rows in Table Storage, per table version.</summary>
public interface IRuleEditsStore
{
    /// <summary>Writes a table version's rows (as <see cref="StoredRows.Encode"/> lays them out) idempotently
    /// (upsert-replace), partition by partition, in transactions that obey Azure's limits: partitions in
    /// <paramref name="skipPartitions"/> are skipped, and <paramref name="partitionCommitted"/> hears of every partition
    /// whose transactions all committed.</summary>
    Task<WriteResult> WriteAsync(StoredTable stored, string key, IReadOnlySet<string>? skipPartitions, Func<string, int, CancellationToken, Task>? partitionCommitted,
        IProgress<int>? progress, int maxEntitiesPerSecond, CancellationToken ct);

    /// <summary>Reads back one code's stored rows of a table version (point reads), decoded; null when the code has none.</summary>
    Task<StoredCodeRules?> ReadCodeAsync(TableId table, string key, HcpcsCode code, CancellationToken ct);

    /// <summary>The stored groups for these keys (what verification compares with the freshly encoded ones).</summary>
    Task<StoredGroup?> ReadGroupAsync(TableId table, string key, string groupKey, CancellationToken ct);

    /// <summary>The rows held for a table version, for verification against <see cref="TableVersion.Rows"/>.</summary>
    Task<long> CountRowsAsync(TableId table, string key, CancellationToken ct);

    /// <summary>Deletes every stored entity of a table version (retention, or before rewriting); returns how many.</summary>
    Task<int> DeleteAsync(TableId table, string key, CancellationToken ct);
}
