using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using CodePairs.Storage;

namespace CodePairs.Functions.Batches;

/// <summary>
/// The batch door's own Blob and Queue clients, with the retry setting of every CodePairs storage client
/// (<see cref="StorageRetry"/>: short first delay with jitter, enough retries to ride out a 30 % fault rate, a 2 s
/// network timeout per try). Every batch write is idempotent (deterministic names and block ids, conditional creates
/// that accept their own earlier success), so a retry after a lost response is safe.
/// </summary>
public static class BatchStorage
{
    /// <param name="configure">Tests add a fault-injecting policy here.</param>
    public static BlobServiceClient Blobs(StorageSettings settings, Action<BlobClientOptions>? configure = null)
        => settings.CreateBlobServiceClient(configure);

    /// <summary>Base64 messages: the Queues extension's default encoding, which the queue trigger reads.</summary>
    public static QueueServiceClient Queues(StorageSettings settings, Action<QueueClientOptions>? configure = null)
    {
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        StorageRetry.Configure(options.Retry);
        configure?.Invoke(options);
        return settings.ConnectionString is { } cs
            ? new QueueServiceClient(cs, options)
            : new QueueServiceClient(settings.QueueServiceUri ?? throw settings.Missing("queueServiceUri"), settings.Credential(), options);
    }
}
