namespace CodePairs.Storage;

/// <summary>Snapshot blobs: one per table version (<c>tables/{table}/{key}.snapshot</c>) and one per rule set
/// (<c>rulesets/{id}.snapshot</c>), each with its SHA-256 in metadata.</summary>
public interface ISnapshotStore
{
    /// <summary>Uploads (overwrites) a snapshot blob with metadata <c>sha256</c>; returns the hex SHA-256.</summary>
    Task<string> UploadAsync(string blobName, Stream snapshot, CancellationToken ct);

    /// <summary>Opens a snapshot for reading; throws <see cref="SnapshotNotFoundException"/> when it is missing.</summary>
    Task<Stream> OpenReadAsync(string blobName, CancellationToken ct);
}
