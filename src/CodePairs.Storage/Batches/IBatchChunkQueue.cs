namespace CodePairs.Storage.Batches;

/// <summary>The queue of chunk work items of batches cut into more than one chunk (the <c>batch-chunks</c> queue the
/// chunk trigger reads). Messages are JSON; a chunk sent twice is run twice harmlessly (its outputs are deterministic).</summary>
public interface IBatchChunkQueue
{
    /// <summary>The queue's name.</summary>
    string Name { get; }

    /// <summary>Sends one message, creating the queue the first time it is needed.</summary>
    Task SendAsync<T>(T message, CancellationToken cancellationToken);
}
