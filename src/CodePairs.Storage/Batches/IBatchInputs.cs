namespace CodePairs.Storage.Batches;

/// <summary>
/// The batch input container: the files partners drop or submit. Reads are conditional on the ETag the batch was
/// planned with, so a file replaced while its batch runs is never read half old, half new: every read of a replaced
/// blob throws <see cref="BatchInputChangedException"/>. Names are relative to the container; the caller (the batch
/// door) checks them before they get here. Storage faults surface as the client's exceptions, after its retries.
/// </summary>
public interface IBatchInputs
{
    /// <summary>The container's name (a blob event from any other container is refused by the door).</summary>
    string Container { get; }

    /// <summary>Creates the container if it does not exist yet.</summary>
    Task CreateIfNotExistsAsync(CancellationToken cancellationToken);

    /// <summary>The blob's ETag and length, or null when there is no such blob.</summary>
    Task<BatchInputBlob?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>A stream from byte <paramref name="position"/> to the end, while the blob still has <paramref name="etag"/>.</summary>
    Task<Stream> OpenReadAsync(string name, string etag, long position, CancellationToken cancellationToken);

    /// <summary>The first <paramref name="bytes"/> bytes (fewer when the blob is shorter): one ranged read, not the whole blob.</summary>
    Task<byte[]> ReadHeadAsync(string name, string etag, int bytes, CancellationToken cancellationToken);

    /// <summary>Uploads <paramref name="body"/> as a new blob in blocks of 4 MiB (streamed, never buffered whole) and
    /// returns its ETag. Exceptions the body stream throws (a size cap, say) reach the caller as they are.</summary>
    Task<string> UploadAsync(string name, Stream body, string contentType, CancellationToken cancellationToken);
}
