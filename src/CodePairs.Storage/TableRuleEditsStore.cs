using Azure.Data.Tables;
using CodePairs.Rules;

namespace CodePairs.Storage;

/// <summary>The released rules in Table Storage, one entity per code (see <see cref="RuleEditsLayout"/>): a full
/// practitioner PTP version is ~15k entity writes instead of ~2.5M for a row-per-edit layout.</summary>
public sealed class TableRuleEditsStore : IRuleEditsStore
{
    private readonly TableClient _table;
    private readonly int _parallelPartitions;
    private Task? _created;

    public TableRuleEditsStore(TableServiceClient service, string tableName = StorageNames.EditsTable,
        int parallelPartitions = TableBatchWriter.DefaultParallelPartitions)
    {
        _table = service.GetTableClient(tableName);
        _parallelPartitions = parallelPartitions;
    }

    /// <summary>A stored version's entities, planned into partition-sized transactions (what <see cref="WriteAsync"/> writes).</summary>
    public static IReadOnlyList<TableBatch> Plan(StoredTable stored, string key)
        => TableBatchPlanner.Plan(RuleEditsLayout.Entities(stored, RuleEditsLayout.ValidateVersionKey(key)).ToList());

    public async Task<WriteResult> WriteAsync(StoredTable stored, string key, IReadOnlySet<string>? skipPartitions,
        Func<string, int, CancellationToken, Task>? partitionCommitted, IProgress<int>? progress, int maxEntitiesPerSecond, CancellationToken ct)
    {
        var batches = Plan(stored, key);
        await EnsureTableAsync(ct).ConfigureAwait(false);
        var (written, transactions) = await TableBatchWriter.WriteAsync(_table, batches, progress, skipPartitions, partitionCommitted, ct,
            _parallelPartitions, maxEntitiesPerSecond).ConfigureAwait(false);
        return new WriteResult(written, transactions, stored.Rows);
    }

    public async Task<StoredGroup?> ReadGroupAsync(TableId table, string key, string groupKey, CancellationToken ct)
    {
        await EnsureTableAsync(ct).ConfigureAwait(false);
        var stored = await _table.GetEntityIfExistsAsync<TableEntity>(RuleEditsLayout.GroupPartition(table, key, groupKey), groupKey, cancellationToken: ct)
            .ConfigureAwait(false);
        return stored.HasValue && stored.Value is { } e ? RuleEditsLayout.ReadGroup(e) : null;
    }

    public async Task<StoredCodeRules?> ReadCodeAsync(TableId table, string key, HcpcsCode code, CancellationToken ct)
    {
        var groupKey = StoredRows.GroupKey(table.Kind(), code);
        var group = await ReadGroupAsync(table, key, groupKey, ct).ConfigureAwait(false);
        if (group is null) return null;
        var vocabulary = await _table.GetEntityIfExistsAsync<TableEntity>(RuleEditsLayout.TablePartition(table, key), RuleEditsLayout.VocabularyRowKey, cancellationToken: ct)
            .ConfigureAwait(false);
        if (!vocabulary.HasValue || vocabulary.Value is null)
            throw new InvalidDataException($"{table.Name()} {key} has rows but no vocabulary entity: the write did not finish");
        var (rationales, notes) = RuleEditsLayout.ReadVocabulary(vocabulary.Value);
        try
        {
            return StoredRows.Decode(table, code, group, rationales, notes);
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"{table.Name()} {key} group {groupKey}: {e.Message}", e);
        }
    }

    public async Task<long> CountRowsAsync(TableId table, string key, CancellationToken ct)
    {
        await EnsureTableAsync(ct).ConfigureAwait(false);
        long rows = 0;
        await foreach (var entity in _table.QueryAsync<TableEntity>(TableFilter(table, key), select: ["RowKey", "N"], cancellationToken: ct).ConfigureAwait(false))
            rows += RuleEditsLayout.RowCount(entity);
        return rows;
    }

    /// <summary>Deletes every entity of a table version, partition by partition in transactions; returns the entities
    /// deleted. Safe to rerun.</summary>
    public async Task<int> DeleteAsync(TableId table, string key, CancellationToken ct)
    {
        await EnsureTableAsync(ct).ConfigureAwait(false);
        var keys = new List<TableEntity>();
        await foreach (var e in _table.QueryAsync<TableEntity>(TableFilter(table, key), select: ["PartitionKey", "RowKey"], cancellationToken: ct).ConfigureAwait(false))
            keys.Add(new TableEntity(e.PartitionKey, e.RowKey));
        var deleted = 0;
        await Parallel.ForEachAsync(TableBatchPlanner.Plan(keys).GroupBy(b => b.PartitionKey, StringComparer.Ordinal),
            new ParallelOptions { MaxDegreeOfParallelism = _parallelPartitions, CancellationToken = ct },
            async (group, token) =>
            {
                foreach (var batch in group)
                {
                    await TableBatchWriter.DeleteAsync(_table, batch, token).ConfigureAwait(false);
                    Interlocked.Add(ref deleted, batch.Entities.Count);
                }
            }).ConfigureAwait(false);
        return deleted;
    }

    /// <summary>Every partition of a table version: "{key}_{table}" and "{key}_{table}_{prefix}" ('~' sorts after every
    /// character a key holds).</summary>
    private static string TableFilter(TableId table, string key)
    {
        var partition = RuleEditsLayout.TablePartition(table, key);
        return TableClient.CreateQueryFilter($"PartitionKey ge {partition} and PartitionKey lt {partition + "_~"}");
    }

    private Task EnsureTableAsync(CancellationToken ct)
    {
        // Created once per store; a failed attempt is forgotten so the next write tries again.
        var created = _created;
        if (created is { IsCompletedSuccessfully: true }) return created;
        return _created = _table.CreateIfNotExistsAsync(ct);
    }
}
