using Azure.Data.Tables;

namespace CodePairs.Storage;

/// <summary>Submits planned transactions (upsert-replace, so a rerun rewrites the same entities), several partitions at
/// a time; the batches of one partition go in order. Transient failures are retried by the SDK's retry policy.</summary>
public static class TableBatchWriter
{
    public const int DefaultParallelPartitions = 8;

    /// <summary>Writes the batches; reports the cumulative number of entities written. Returns (entities, transactions).</summary>
    public static async Task<(int Entities, int Transactions)> WriteAsync(TableClient table, IReadOnlyList<TableBatch> batches,
        IProgress<int>? progress, CancellationToken ct, int parallelPartitions = DefaultParallelPartitions)
    {
        var entities = 0;
        var transactions = 0;
        var byPartition = batches.GroupBy(b => b.PartitionKey, StringComparer.Ordinal).ToArray();
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
            }).ConfigureAwait(false);
        return (entities, transactions);
    }
}
