using Azure.Core;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using CodePairs.Storage;

namespace CodePairs.Functions.Batches;

/// <summary>
/// The batch door's own Blob and Queue clients, with retries tuned for transient storage faults (issue 11, point 4):
/// a short first delay that doubles with Azure.Core's ±20 % jitter, enough attempts to ride out a 30 % fault rate,
/// and a per-request network timeout well under a 5 s stall, so a hung request is abandoned and retried instead of
/// holding the chunk for the SDK default of 100 s. Every batch write is idempotent (deterministic names and block
/// ids, conditional creates that accept their own earlier success), so a retry after a lost response is safe.
/// </summary>
public static class BatchStorage
{
    public static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan NetworkTimeout = TimeSpan.FromSeconds(2);
    public const int MaxRetries = 8;

    public static void Configure(RetryOptions retry)
    {
        retry.Mode = RetryMode.Exponential;
        retry.MaxRetries = MaxRetries;
        retry.Delay = FirstDelay;
        retry.MaxDelay = MaxDelay;
        retry.NetworkTimeout = NetworkTimeout;
    }

    /// <param name="configure">Tests add a fault-injecting policy here.</param>
    public static BlobServiceClient Blobs(StorageSettings settings, Action<BlobClientOptions>? configure = null)
    {
        var options = new BlobClientOptions();
        Configure(options.Retry);
        configure?.Invoke(options);
        return settings.ConnectionString is { } cs
            ? new BlobServiceClient(cs, options)
            : new BlobServiceClient(settings.BlobServiceUri ?? throw settings.Missing("blobServiceUri"), settings.Credential(), options);
    }

    /// <summary>Base64 messages: the Queues extension's default encoding, which the queue trigger reads.</summary>
    public static QueueServiceClient Queues(StorageSettings settings, Action<QueueClientOptions>? configure = null)
    {
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        Configure(options.Retry);
        configure?.Invoke(options);
        return settings.ConnectionString is { } cs
            ? new QueueServiceClient(cs, options)
            : new QueueServiceClient(settings.QueueServiceUri ?? throw settings.Missing("queueServiceUri"), settings.Credential(), options);
    }
}
