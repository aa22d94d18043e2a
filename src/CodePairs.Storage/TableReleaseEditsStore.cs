using Azure.Data.Tables;
using CodePairs.Rules;

namespace CodePairs.Storage;

/// <summary>The released rules in Table Storage, one entity per code (see <see cref="RuleEditsLayout"/>): a full
/// quarter is ~30k entity writes instead of ~4.4M for a row-per-edit layout.</summary>
public sealed class TableReleaseEditsStore : IReleaseEditsStore
{
    private readonly TableClient _table;
    private readonly int _parallelPartitions;
    private Task? _created;

    public TableReleaseEditsStore(TableServiceClient service, string tableName = StorageNames.EditsTable,
        int parallelPartitions = TableBatchWriter.DefaultParallelPartitions)
    {
        _table = service.GetTableClient(tableName);
        _parallelPartitions = parallelPartitions;
    }

    public async Task<ReleaseWriteResult> WriteAsync(Release release, CodeIndex codes, IProgress<int>? progress, CancellationToken ct)
    {
        RuleEditsLayout.ValidateReleaseId(release.Id);
        var entities = new List<TableEntity>();
        long rows = 0;
        foreach (var component in release.Components)
        {
            entities.AddRange(Entities(release, codes, component.Table));
            rows += component.Rows;
        }
        var batches = TableBatchPlanner.Plan(entities);
        await EnsureTableAsync(ct).ConfigureAwait(false);
        var (written, transactions) = await TableBatchWriter.WriteAsync(_table, batches, progress, ct, _parallelPartitions).ConfigureAwait(false);
        return new ReleaseWriteResult(written, transactions, rows);
    }

    /// <summary>Plans the release's entities once (partition-sized transactions): what <see cref="WriteAsync(IReadOnlyList{TableBatch}, IProgress{int}?, IReadOnlySet{string}?, Func{string, int, CancellationToken, Task}?, CancellationToken)"/> writes.</summary>
    public static IReadOnlyList<TableBatch> Plan(Release release, CodeIndex codes)
    {
        RuleEditsLayout.ValidateReleaseId(release.Id);
        return TableBatchPlanner.Plan(release.Components.SelectMany(c => Entities(release, codes, c.Table)).ToList());
    }

    /// <summary>Writes planned batches resumably: partitions in <paramref name="skipPartitions"/> are skipped, and
    /// <paramref name="partitionCommitted"/> is told of every partition whose batches all committed (a checkpoint).</summary>
    public async Task<(int Entities, int Transactions)> WriteAsync(IReadOnlyList<TableBatch> batches, IProgress<int>? progress,
        IReadOnlySet<string>? skipPartitions, Func<string, int, CancellationToken, Task>? partitionCommitted, CancellationToken ct,
        int maxEntitiesPerSecond = 0)
    {
        await EnsureTableAsync(ct).ConfigureAwait(false);
        return await TableBatchWriter.WriteAsync(_table, batches, progress, skipPartitions, partitionCommitted, ct, _parallelPartitions,
            maxEntitiesPerSecond).ConfigureAwait(false);
    }

    /// <summary>The entities of one table of a release: one per code, then the table's vocabulary entity.</summary>
    public static IEnumerable<TableEntity> Entities(Release release, CodeIndex codes, string table)
    {
        var words = new Vocabulary();
        var notes = new Vocabulary();
        long rows = 0;
        switch (RuleEditsLayout.KindOf(table))
        {
            case RuleEditsLayout.TableKind.Ptp:
                var ptp = table == PtpTable.Hospital.Name() ? PtpTable.Hospital : PtpTable.Practitioner;
                foreach (var code in release.PtpColumn1Codes(ptp, codes))
                {
                    var edits = release.PtpEdits(ptp, codes, code);
                    rows += edits.Count;
                    yield return RuleEditsLayout.PtpEntity(release.Id, table, code, edits, words.IndexOf);
                }
                break;
            case RuleEditsLayout.TableKind.AddOn:
                foreach (var code in release.AddOnCodes(codes))
                {
                    var edits = release.AddOnEdits(codes, code);
                    rows += edits.Count;
                    yield return RuleEditsLayout.AddOnEntity(release.Id, code, edits, notes.IndexOf);
                }
                break;
            case RuleEditsLayout.TableKind.Mue:
                var mue = table switch { "mue-hospital" => MueTable.Hospital, "mue-dme" => MueTable.Dme, _ => MueTable.Practitioner };
                foreach (var group in release.MueLimits(mue, codes).GroupBy(l => RuleEditsLayout.Prefix(l.Code)))
                {
                    var limits = group.ToArray();
                    rows += limits.Length;
                    yield return RuleEditsLayout.MueEntity(release.Id, table, group.Key, limits, words.IndexOf);
                }
                break;
        }
        yield return RuleEditsLayout.VocabularyEntity(release.Id, table, words.Words, notes.Words, rows);
    }

    public async Task<StoredCodeRules?> ReadCodeAsync(string releaseId, string table, HcpcsCode code, CancellationToken ct)
    {
        RuleEditsLayout.ValidateReleaseId(releaseId);
        var kind = RuleEditsLayout.KindOf(table);
        var (pk, rk) = kind == RuleEditsLayout.TableKind.Mue
            ? (RuleEditsLayout.TablePartition(releaseId, table), RuleEditsLayout.Prefix(code))
            : (RuleEditsLayout.CodePartition(releaseId, table, code), code.ToString());
        var rowsTask = _table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: ct);
        var vocabTask = _table.GetEntityIfExistsAsync<TableEntity>(RuleEditsLayout.TablePartition(releaseId, table), RuleEditsLayout.VocabularyRowKey, cancellationToken: ct);
        var stored = await rowsTask.ConfigureAwait(false);
        var vocabulary = await vocabTask.ConfigureAwait(false);
        if (!stored.HasValue || stored.Value is null) return null;
        if (!vocabulary.HasValue || vocabulary.Value is null)
            throw new InvalidDataException($"release {releaseId} table {table} has rows but no vocabulary entity: the write did not finish");
        var (rationales, notes) = RuleEditsLayout.ReadVocabulary(vocabulary.Value);
        return kind switch
        {
            RuleEditsLayout.TableKind.Ptp => new StoredCodeRules(releaseId, table, code, RuleEditsLayout.ReadPtp(stored.Value, code, rationales), [], null),
            RuleEditsLayout.TableKind.AddOn => new StoredCodeRules(releaseId, table, code, [], RuleEditsLayout.ReadAddOns(stored.Value, code, notes), null),
            _ => RuleEditsLayout.ReadMue(stored.Value, code, rationales) is { } limit ? new StoredCodeRules(releaseId, table, code, [], [], limit) : null,
        };
    }

    public async Task<long> CountRowsAsync(string releaseId, string table, CancellationToken ct)
    {
        RuleEditsLayout.ValidateReleaseId(releaseId);
        var partition = RuleEditsLayout.TablePartition(releaseId, table);
        // PTP and AOC rows live in partitions "{release}_{table}_{prefix}"; '~' sorts after every code character.
        var filter = RuleEditsLayout.KindOf(table) == RuleEditsLayout.TableKind.Mue
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partition}")
            : TableClient.CreateQueryFilter($"PartitionKey gt {partition + "_"} and PartitionKey lt {partition + "_~"}");
        long rows = 0;
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, select: ["RowKey", "N"], cancellationToken: ct).ConfigureAwait(false))
            rows += RuleEditsLayout.RowCount(entity);
        return rows;
    }

    /// <summary>Deletes every entity of a release (all its tables), partition by partition in transactions; returns
    /// the entities deleted. For retiring releases older than the rollback one. Safe to rerun.</summary>
    public async Task<int> DeleteReleaseAsync(string releaseId, CancellationToken ct)
    {
        RuleEditsLayout.ValidateReleaseId(releaseId);
        await EnsureTableAsync(ct).ConfigureAwait(false);
        var keys = new List<TableEntity>();
        // Every key of the release starts with "{release}_"; '~' sorts after every character our keys use.
        var filter = TableClient.CreateQueryFilter($"PartitionKey gt {releaseId + "_"} and PartitionKey lt {releaseId + "_~"}");
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: ct).ConfigureAwait(false))
            keys.Add(new TableEntity(e.PartitionKey, e.RowKey));
        var deleted = 0;
        await Parallel.ForEachAsync(TableBatchPlanner.Plan(keys).GroupBy(b => b.PartitionKey, StringComparer.Ordinal),
            new ParallelOptions { MaxDegreeOfParallelism = _parallelPartitions, CancellationToken = ct },
            async (group, token) =>
            {
                foreach (var batch in group)
                {
                    await _table.SubmitTransactionAsync(
                        batch.Entities.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, Azure.ETag.All)), token).ConfigureAwait(false);
                    Interlocked.Add(ref deleted, batch.Entities.Count);
                }
            }).ConfigureAwait(false);
        return deleted;
    }

    private Task EnsureTableAsync(CancellationToken ct)
    {
        // Created once per store; a failed attempt is forgotten so the next write tries again.
        var created = _created;
        if (created is { IsCompletedSuccessfully: true }) return created;
        return _created = _table.CreateIfNotExistsAsync(ct);
    }

    private sealed class Vocabulary
    {
        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
        public List<string> Words { get; } = [];

        public int IndexOf(string word)
        {
            if (!_index.TryGetValue(word, out var i))
            {
                _index.Add(word, i = Words.Count);
                Words.Add(word);
            }
            return i;
        }
    }
}
