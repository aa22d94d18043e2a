using Azure;
using Azure.Data.Tables;

namespace CodePairs.Storage;

/// <summary>Submits planned transactions (upsert-replace, so a rerun — or the SDK's retry of a transaction whose response
/// was lost — rewrites the same entities), several partitions at a time; the batches of one partition go in order.
/// Transient failures are retried per transaction by the SDK's retry policy (<see cref="StorageRetry"/>).</summary>
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
    /// <param name="maxEntitiesPerSecond">Client-side throttle (0 = none): transactions are paced so the entities
    /// submitted never run ahead of this rate, keeping a load well inside the account's scalability target (Azure:
    /// 20,000 entities/s per account, 2,000 per partition) instead of leaning on 503 retries.</param>
    public static async Task<(int Entities, int Transactions)> WriteAsync(TableClient table, IReadOnlyList<TableBatch> batches,
        IProgress<int>? progress, IReadOnlySet<string>? skipPartitions, Func<string, int, CancellationToken, Task>? partitionCommitted,
        CancellationToken ct, int parallelPartitions = DefaultParallelPartitions, int maxEntitiesPerSecond = 0)
    {
        var entities = 0;
        var transactions = 0;
        long reserved = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var byPartition = batches.GroupBy(b => b.PartitionKey, StringComparer.Ordinal)
            .Where(g => skipPartitions is null || !skipPartitions.Contains(g.Key)).ToArray();
        await Parallel.ForEachAsync(byPartition,
            new ParallelOptions { MaxDegreeOfParallelism = parallelPartitions, CancellationToken = ct },
            async (group, token) =>
            {
                foreach (var batch in group)
                {
                    if (batch.Entities.Count == 0) continue;
                    if (maxEntitiesPerSecond > 0)
                    {
                        // Each batch reserves its slot in the schedule and waits until the rate allows it.
                        var start = Interlocked.Add(ref reserved, batch.Entities.Count) - batch.Entities.Count;
                        var due = TimeSpan.FromSeconds((double)start / maxEntitiesPerSecond) - clock.Elapsed;
                        if (due > TimeSpan.Zero) await Task.Delay(due, token).ConfigureAwait(false);
                    }
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

    /// <summary>Deletes the entities of one transaction (one partition, ≤ 100). The retry of a delete whose response was
    /// lost finds them gone, and the transaction fails whole with 404: the ones still there are looked up and deleted
    /// again, so a lost response costs one query, never a failed step.</summary>
    public static async Task DeleteAsync(TableClient table, TableBatch batch, CancellationToken ct)
    {
        IReadOnlyList<TableEntity> left = batch.Entities;
        for (var attempt = 1; left.Count > 0; attempt++)
        {
            try
            {
                await table.SubmitTransactionAsync(left.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, ETag.All)), ct)
                    .ConfigureAwait(false);
                return;
            }
            catch (RequestFailedException e) when (e.Status == 404 && attempt < 5)
            {
                left = await StillStoredAsync(table, batch.PartitionKey, left, ct).ConfigureAwait(false);
            }
        }
    }

    private static async Task<IReadOnlyList<TableEntity>> StillStoredAsync(TableClient table, string partition, IReadOnlyList<TableEntity> entities, CancellationToken ct)
    {
        var stored = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), select: ["RowKey"], cancellationToken: ct)
                           .ConfigureAwait(false))
            stored.Add(e.RowKey);
        return entities.Where(e => stored.Contains(e.RowKey)).ToArray();
    }
}
