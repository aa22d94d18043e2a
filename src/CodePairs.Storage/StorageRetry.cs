using Azure.Core;
using Azure.Storage;
using Azure.Storage.Blobs;

namespace CodePairs.Storage;

/// <summary>
/// The one retry setting of every CodePairs storage client — the service's Table and Blob clients
/// (<see cref="StorageClients"/>), the CLI's (<see cref="StorageSettings.CreateTableServiceClient"/>,
/// <see cref="StorageSettings.CreateBlobServiceClient"/>) and the batch door's — tuned for transient faults (issue 11,
/// point 4): a short first delay that doubles with Azure.Core's ±20 % jitter up to 3 s, enough retries to ride out a
/// 30 % fault rate, and a network timeout per try well under a 5 s stall, so a hung request is abandoned and retried
/// instead of holding a step for the SDK default of 100 s. Retries: a full-scale publish or refresh makes ≈ 5,000
/// requests; with 8 retries (9 failures in a row at 30 %: 2·10⁻⁵ of requests) one run in ten failed at 30 %, with 12
/// (1.6·10⁻⁷) one in a thousand would. Storage that is really down is reported after ≈ 25 s of backoff. Retrying is safe
/// because every write CodePairs makes is idempotent (upserts, deterministic names, conditional writes that accept
/// their own earlier success).
/// </summary>
public static class StorageRetry
{
    public static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(3);

    /// <summary>Per try: the time to send the request and get the response headers, and then per read of the body.</summary>
    public static readonly TimeSpan NetworkTimeout = TimeSpan.FromSeconds(2);

    public const int MaxRetries = 12;

    /// <summary>Blob uploads go in blocks of this size (and a blob up to this size in one request), so each request
    /// stays well inside <see cref="NetworkTimeout"/> however large the snapshot: 4 MiB in 2 s is 2 MB/s.</summary>
    public const int BlockBytes = 4 * 1024 * 1024;

    public static void Configure(RetryOptions retry)
    {
        ArgumentNullException.ThrowIfNull(retry);
        retry.Mode = RetryMode.Exponential;
        retry.MaxRetries = MaxRetries;
        retry.Delay = FirstDelay;
        retry.MaxDelay = MaxDelay;
        retry.NetworkTimeout = NetworkTimeout;
    }

    /// <summary>
    /// Every blob upload (Put Blob, each staged block) carries a transactional MD5 (<c>Content-MD5</c>) that storage
    /// checks before it accepts the bytes, so a block damaged on the way is refused and retried instead of committed.
    /// The service's and the CLI's Blob clients alike. It also spares the local emulator its slow path: Azurite 3.37,
    /// given a staged block without an MD5, computes a CRC-64 over it one byte at a time in JavaScript (≈ 40 MiB per
    /// CPU-second, measured in docs/PERFORMANCE.md), where an MD5 is checked natively.
    /// </summary>
    public static void ConfigureUploads(BlobClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.TransferValidation.Upload.ChecksumAlgorithm = StorageChecksumAlgorithm.MD5;
    }

    /// <summary>For every blob upload: blocks of <see cref="BlockBytes"/>, a few at a time.</summary>
    public static StorageTransferOptions Transfer => new()
    {
        InitialTransferSize = BlockBytes,
        MaximumTransferSize = BlockBytes,
        MaximumConcurrency = 4,
    };
}
