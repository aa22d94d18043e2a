using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace CodePairs.Storage.Batches;

/// <summary>Everything the batch door keeps in storage: its input container, its output container and its chunk queue.</summary>
public sealed record BatchStores(IBatchInputs Inputs, IBatchOutputs Outputs, IBatchChunkQueue Chunks)
{
    /// <summary>
    /// The stores on the batch door's own clients, with the retry setting of every CodePairs storage client
    /// (<see cref="StorageRetry"/>: short first delay with jitter, enough retries to ride out a 30 % fault rate, a 2 s
    /// network timeout per try). Every batch write is idempotent (deterministic names and block ids, conditional creates
    /// that accept their own earlier success), so a retry after a lost response is safe.
    /// </summary>
    /// <param name="configureBlobs">Tests and harnesses add a fault-injecting policy here (and in <paramref name="configureQueues"/>).</param>
    public static BatchStores Open(StorageSettings settings, string inputContainer, string outputContainer, string chunkQueue, JsonSerializerOptions json,
        Action<BlobClientOptions>? configureBlobs = null, Action<QueueClientOptions>? configureQueues = null)
    {
        var blobs = settings.CreateBlobServiceClient(configureBlobs);
        return new BatchStores(new BlobBatchInputs(blobs.GetBlobContainerClient(inputContainer)),
            new BlobBatchOutputs(blobs.GetBlobContainerClient(outputContainer), json),
            new QueueBatchChunks(settings.CreateQueueServiceClient(configureQueues).GetQueueClient(chunkQueue), json));
    }
}
