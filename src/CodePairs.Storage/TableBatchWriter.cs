using Azure.Data.Tables;

namespace CodePairs.Storage;

/// <summary>Submits planned transactions (upsert-replace, so a rerun rewrites the same entities), several partitions at
/// a time; the batches of one partition go in order. Transient failures are retried by the SDK's retry policy.</summary>
public static class TableBatchWriter
{
    public const int DefaultParallelPartitions = 8;

    /// <summary>Writes the batches; reports the cumulative number of entities written. Returns (entities, transactions).</summary>
    public static Task<(int Entities, int Transactions)> WriteAsync(TableClient table, IReadOnlyList<TableBatch> batches,
        IProgress<int>? progress, CancellationToken ct, int parallelPartitions = DefaultParallelPartitions)
        => WriteAsync(table, batches, progress, null, null, ct, parallelPartitions);

    /// <summary>Writes the batches of every partition not in <paramref name="skipPartitions"/> (the checkpoints of an
    /// earlier, interrupted run), and calls <paramref name="partitionCommitted"/> once all batches of a partition have
    /// committed, so a caller can record a checkpoint. A partition whose batches did not all commit is rewritten whole
    /// by the next run (upsert-replace: the same entities, never duplicates).</summary>
    public static async Task<(int Entities, int Transactions)> WriteAsync(TableClient table, IReadOnlyList<TableBatch> batches,
        IProgress<int>? progress, IReadOnlySet<string>? skipPartitions, Func<string, int, CancellationToken, Task>? partitionCommitted,
        CancellationToken ct, int parallelPartitions = DefaultParallelPartitions)
    {
        var entities = 0;
        var transactions = 0;
        var byPartition = batches.GroupBy(b => b.PartitionKey, StringComparer.Ordinal)
            .Where(g => skipPartitions is null || !skipPartitions.Contains(g.Key)).ToArray();
        await Parallel.ForEachAsync(byPartition,
            new ParallelOptions { MaxDegreeOfParallelism = parallelPartitions, CancellationToken = ct },
            async (group, token) =>
            {
                foreach (var batch in group)
                {
                    if (batch.Entities.Count == 0) continue;
                    await table.SubmitTransactionAsync(
                        batch.Entities.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)),
                        token).ConfigureAwait(false);
                    Interlocked.Increment(ref transactions);
                    var done = Interlocked.Add(ref entities, batch.Entities.Count);
                    progress?.Report(done);
                }
                if (partitionCommitted is not null)
                    await partitionCommitted(group.Key, group.Sum(b => b.Entities.Count), token).ConfigureAwait(false);
            }).ConfigureAwait(false);
        return (entities, transactions);
    }
}
