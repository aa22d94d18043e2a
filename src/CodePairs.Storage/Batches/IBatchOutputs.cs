namespace CodePairs.Storage.Batches;

/// <summary>
/// A batch's output container: the JSON documents (<c>plan.json</c>, <c>chunks/NNNNNN.json</c>, <c>status.json</c>,
/// <c>summary.json</c>) by name, and the block blobs (<c>results.csv</c>, <c>rejected.csv</c>) staged in deterministic
/// blocks and committed once. Names are relative to the container; the caller (the batch door) builds them from a
/// checked input name and ETag. Storage faults surface as the client's exceptions, after its retries.
/// </summary>
public interface IBatchOutputs
{
    /// <summary>The container's name (the batch's outputs are shown as <c>&lt;container&gt;/&lt;folder&gt;</c>).</summary>
    string Container { get; }

    /// <summary>Creates the container if it does not exist yet.</summary>
    Task CreateIfNotExistsAsync(CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string name, CancellationToken cancellationToken);

    /// <summary>The document, or null when there is none.</summary>
    Task<T?> ReadAsync<T>(string name, CancellationToken cancellationToken) where T : class;

    /// <summary>Writes the document only if none is there (If-None-Match: *). False when one already was, or when it is
    /// our own earlier write whose response was lost: either way the first one stands.</summary>
    Task<bool> TryCreateAsync<T>(string name, T document, CancellationToken cancellationToken);

    /// <summary>Writes (or overwrites) the document, with optional blob metadata (see <see cref="ListAsync"/>).</summary>
    Task WriteAsync<T>(string name, T document, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? metadata = null);

    /// <summary>The blobs under a prefix, in name order, with their metadata when <paramref name="metadata"/> is set.</summary>
    Task<IReadOnlyList<BatchOutputItem>> ListAsync(string prefix, bool metadata, CancellationToken cancellationToken);

    /// <summary>A write-only stream staging chunk <paramref name="chunk"/>'s part of a block blob (see <see cref="StagedBlocks"/>).</summary>
    /// <param name="afterStage">Called with the part count after each part is staged (test and crash hooks).</param>
    StagedBlocks Stage(string name, int chunk, int partBytes, Action<int>? afterStage, CancellationToken cancellationToken);

    /// <summary>Commits the block list of a block blob (the blocks <see cref="BatchBlocks.Id"/> staged by <see cref="Stage"/>).</summary>
    Task CommitAsync(string name, IEnumerable<string> blockIds, string contentType, CancellationToken cancellationToken);

    /// <summary>Commits the block list only if the blob does not exist yet (If-None-Match: *): the first commit stands,
    /// so a second writer of the same bytes never changes the ETag a plan recorded. Returns the blob's ETag and length,
    /// this commit's or the one already there.</summary>
    Task<BatchOutputBlob> CommitOnceAsync(string name, IEnumerable<string> blockIds, string contentType, CancellationToken cancellationToken);

    /// <summary>A stream from byte <paramref name="position"/> to the end, while the blob still has <paramref name="etag"/>
    /// (a replaced or deleted blob fails the read with the client's exception, for the host to retry).</summary>
    Task<Stream> OpenReadAsync(string name, string etag, long position, CancellationToken cancellationToken);

    /// <summary>Deletes the blob if it is there.</summary>
    Task DeleteIfExistsAsync(string name, CancellationToken cancellationToken);
}

/// <summary>An output blob as committed: its ETag (unquoted) and length.</summary>
public sealed record BatchOutputBlob(string ETag, long Length);

/// <summary>A blob in a batch's output folder, with its metadata (empty unless listed with it).</summary>
public sealed record BatchOutputItem(string Name, IReadOnlyDictionary<string, string> Metadata);
