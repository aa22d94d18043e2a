namespace CodePairs.Functions.Batches;

/// <summary>The processor's queue entries for a message's text, read as the worker binds it (tests and benches drive the
/// queues by hand with the text they peek).</summary>
public static class BatchMessageText
{
    public static Task ProcessChunkMessageAsync(this BatchProcessor processor, string message, CancellationToken cancellationToken)
        => processor.ProcessChunkMessageAsync(BatchMessages.Bind<ChunkMessage>(message), cancellationToken);

    public static Task RecordChunkPoisonAsync(this BatchProcessor processor, string message, CancellationToken cancellationToken)
        => processor.RecordChunkPoisonAsync(BatchMessages.Bind<ChunkMessage>(message), cancellationToken);

    public static Task RecordBlobPoisonAsync(this BatchProcessor processor, string message, CancellationToken cancellationToken)
        => processor.RecordBlobPoisonAsync(BatchMessages.Bind<BlobPoisonMessage>(message), cancellationToken);
}
