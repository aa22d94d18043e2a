using System.Collections.Concurrent;
using Azure.Data.Tables;
using CodePairs.Rules;

namespace CodePairs.Storage;

/// <summary>
/// The publish protocol's memory, in the <c>RuleCatalog</c> table beside the catalogue:
/// <list type="bullet">
/// <item>checkpoints (PartitionKey <c>checkpoint-{table}-{key}</c>, RowKey = a RuleEdits partition): the partitions of a
/// table version's write whose transactions all committed, so a rerun after a crash skips them. A version's key is
/// its content, so other rows under the same CMS version never reuse them;</item>
/// <item>drop records (PartitionKey <c>drop</c>, RowKey = the SHA-256 of the drop's file hashes): what a set of files
/// became, so unchanged files are skipped without being parsed, and a failed drop is not retried until it changes.</item>
/// </list>
/// </summary>
public sealed class TableCheckpointStore(TableServiceClient tables, string tableName = StorageNames.CatalogTable) : ICheckpointStore
{
    private const string DropPartition = "drop";
    private const int MaxTextChars = 30_000;
    private readonly TableClient _table = tables.GetTableClient(tableName);
    private Task? _created;

    private static string CheckpointPartition(TableId table, string key) => $"checkpoint-{table.Name()}-{RuleEditsLayout.ValidateVersionKey(key)}";

    public async Task<IReadOnlySet<string>> CommittedAsync(TableId table, string key, CancellationToken ct)
    {
        await EnsureTableAsync(ct).ConfigureAwait(false);
        var done = new HashSet<string>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {CheckpointPartition(table, key)}");
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: ct).ConfigureAwait(false))
            done.Add(e.RowKey);
        return done;
    }

    /// <summary>Collects committed partitions and writes them in transactions of up to 100 (one partition key), so
    /// checkpoints cost ~1 % of the version's writes. Pending ones lost in a crash are only rewritten, never wrong.</summary>
    public ICheckpointRecorder Record(TableId table, string key) => new Recorder(_table, CheckpointPartition(table, key));

    public async Task DeleteAsync(TableId table, string key, CancellationToken ct)
    {
        await EnsureTableAsync(ct).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {CheckpointPartition(table, key)}");
        var keys = new List<TableEntity>();
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: ct).ConfigureAwait(false))
            keys.Add(new TableEntity(e.PartitionKey, e.RowKey));
        foreach (var batch in TableBatchPlanner.Plan(keys))
            await TableBatchWriter.DeleteAsync(_table, batch, ct).ConfigureAwait(false);
    }

    public async Task<DropRecord?> GetDropAsync(string contentKey, CancellationToken ct)
    {
        await EnsureTableAsync(ct).ConfigureAwait(false);
        var e = await _table.GetEntityIfExistsAsync<TableEntity>(DropPartition, contentKey, cancellationToken: ct).ConfigureAwait(false);
        return e.HasValue && e.Value is { } v
            ? new DropRecord(contentKey, v.GetString("Name") ?? "", v.GetString("RuleSetId"), v.GetString("Error"), v.GetString("Report"),
                v.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue)
            : null;
    }

    public async Task SetDropAsync(DropRecord record, CancellationToken ct)
    {
        await EnsureTableAsync(ct).ConfigureAwait(false);
        var entity = new TableEntity(DropPartition, record.ContentKey)
        {
            ["Name"] = record.Name,
            ["RuleSetId"] = record.RuleSetId,
            ["Error"] = Clip(record.Error),
            ["Report"] = Clip(record.Report),
            ["At"] = record.At,
        };
        TableBatchPlanner.ValidateEntity(entity);
        await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, ct).ConfigureAwait(false);
    }

    private static string? Clip(string? s) => s is { Length: > MaxTextChars } ? s[..MaxTextChars] + "…" : s;

    private Task EnsureTableAsync(CancellationToken ct)
    {
        var created = _created;
        if (created is { IsCompletedSuccessfully: true }) return created;
        return _created = _table.CreateIfNotExistsAsync(ct);
    }

    private sealed class Recorder(TableClient table, string partition) : ICheckpointRecorder
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
