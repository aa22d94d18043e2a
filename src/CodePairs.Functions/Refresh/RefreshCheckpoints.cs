using System.Collections.Concurrent;
using Azure.Data.Tables;
using CodePairs.Storage;

namespace CodePairs.Functions.Refresh;

/// <summary>What a candidate's content (the SHA-256s of its files) was last found to be: a release, or an error.</summary>
public sealed record ContentRecord(string Key, string? ReleaseId, string? Error, DateTimeOffset At);

/// <summary>
/// The refresh job's memory, in the <c>RuleCatalog</c> table beside the catalogue:
/// <list type="bullet">
/// <item>content records (PartitionKey <c>content</c>, RowKey = content key): which release (or which error) a set of
/// files gave, so unchanged files are skipped without parsing;</item>
/// <item>checkpoints (PartitionKey <c>checkpoint-{release}-{content key prefix}</c>, RowKey = a RuleEdits partition):
/// the partitions whose transactions all committed, so a rerun after a crash skips them.</item>
/// </list>
/// Checkpoints are keyed by content too: other files under the same release id never reuse them.
/// </summary>
public sealed class RefreshCheckpoints(TableServiceClient tables, string tableName = StorageNames.CatalogTable)
{
    private const string ContentPartition = "content";
    private readonly TableClient _table = tables.GetTableClient(tableName);

    public async Task<ContentRecord?> GetContentAsync(string key, CancellationToken ct)
    {
        await _table.CreateIfNotExistsAsync(ct).ConfigureAwait(false);
        var e = await _table.GetEntityIfExistsAsync<TableEntity>(ContentPartition, key, cancellationToken: ct).ConfigureAwait(false);
        return e.HasValue && e.Value is { } v
            ? new ContentRecord(key, v.GetString("ReleaseId"), v.GetString("Error"), v.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue)
            : null;
    }

    public Task SetContentAsync(ContentRecord record, CancellationToken ct)
        => _table.UpsertEntityAsync(new TableEntity(ContentPartition, record.Key)
        {
            ["ReleaseId"] = record.ReleaseId,
            ["Error"] = record.Error is { Length: > 16_000 } e ? e[..16_000] : record.Error,
            ["At"] = record.At,
        }, TableUpdateMode.Replace, ct);

    private static string CheckpointPartition(string releaseId, string contentKey) => $"checkpoint-{releaseId}-{contentKey[..16]}";

    /// <summary>The RuleEdits partitions already committed for this release and content.</summary>
    public async Task<IReadOnlySet<string>> CommittedAsync(string releaseId, string contentKey, CancellationToken ct)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {CheckpointPartition(releaseId, contentKey)}");
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: ct).ConfigureAwait(false))
            done.Add(e.RowKey);
        return done;
    }

    /// <summary>Collects committed partitions and writes them in transactions of up to 100 (one partition key), so
    /// checkpoints cost ~1 % of the release's writes. Pending ones lost in a crash are only rewritten, never wrong.</summary>
    public Recorder Record(string releaseId, string contentKey) => new(_table, CheckpointPartition(releaseId, contentKey));

    /// <summary>Deletes every checkpoint of a release (all contents), for retention.</summary>
    public async Task DeleteAsync(string releaseId, CancellationToken ct)
    {
        var prefix = $"checkpoint-{releaseId}-";
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {prefix} and PartitionKey lt {prefix + "~"}");
        var keys = new List<TableEntity>();
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: ct).ConfigureAwait(false))
            keys.Add(new TableEntity(e.PartitionKey, e.RowKey));
        foreach (var batch in TableBatchPlanner.Plan(keys))
            await _table.SubmitTransactionAsync(batch.Entities.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, Azure.ETag.All)), ct)
                .ConfigureAwait(false);
    }

    public sealed class Recorder(TableClient table, string partition)
    {
        private readonly ConcurrentQueue<string> _pending = new();
        private readonly SemaphoreSlim _gate = new(1, 1);

        public async Task CommittedAsync(string editsPartition, int entities, CancellationToken ct)
        {
            _pending.Enqueue(editsPartition);
            if (_pending.Count >= TableBatchPlanner.MaxEntitiesPerTransaction) await FlushAsync(ct).ConfigureAwait(false);
        }

        public async Task FlushAsync(CancellationToken ct)
        {
            await _gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                while (!_pending.IsEmpty)
                {
                    var batch = new List<TableTransactionAction>();
                    while (batch.Count < TableBatchPlanner.MaxEntitiesPerTransaction && _pending.TryDequeue(out var p))
                        batch.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(partition, p)));
                    await table.SubmitTransactionAsync(batch, ct).ConfigureAwait(false);
                }
            }
            finally
            {
                _gate.Release();
            }
        }
    }
}
