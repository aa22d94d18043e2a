namespace CodePairs.Storage;

/// <summary>The bytes of a candidate's files (<see cref="BlobReleaseFiles"/>): read, hashed once, archived.</summary>
public interface IReleaseFiles
{
    Task<Stream> OpenReadAsync(IncomingFile file, CancellationToken ct);

    /// <summary>Records the file's SHA-256 on it, so the next run need not download it to know its content.</summary>
    Task RecordSha256Async(IncomingFile file, string sha256, CancellationToken ct);

    /// <summary>Keeps the file in the raw archive under its hash (<c>rules-archive/&lt;sha256&gt;/&lt;file&gt;</c>), so a
    /// table version can be rebuilt and audited after operators clear the drop folder.</summary>
    Task ArchiveAsync(IncomingFile file, string sha256, CancellationToken ct);
}
