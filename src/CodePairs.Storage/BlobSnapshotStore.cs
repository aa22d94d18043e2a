using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace CodePairs.Storage;

/// <summary>The compact snapshot of each release as blob <c>rules-snapshots/{releaseId}.snapshot</c>, with its hex
/// SHA-256 in the blob's <c>sha256</c> metadata so a loader can check what it read.</summary>
public sealed class BlobSnapshotStore : ISnapshotStore
{
    public const string Sha256Metadata = "sha256";
    private readonly BlobContainerClient _container;
    private Task? _created;

    public BlobSnapshotStore(BlobServiceClient service, string containerName = StorageNames.SnapshotsContainer)
        => _container = service.GetBlobContainerClient(containerName);

    public static string BlobName(string releaseId)
    {
        RuleEditsLayout.ValidateReleaseId(releaseId);
        return $"{releaseId}.snapshot";
    }

    public async Task<string> UploadAsync(string releaseId, Stream snapshot, CancellationToken ct)
    {
        var blob = _container.GetBlobClient(BlobName(releaseId));
        // The hash goes into the upload's metadata, so it is known before the upload: hash a seekable stream in place,
        // otherwise spool to a temporary file first (snapshots are tens of MiB; memory is for the rule set).
        Stream source = snapshot;
        FileStream? spool = null;
        try
        {
            if (!snapshot.CanSeek)
            {
                spool = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920,
                    FileOptions.DeleteOnClose | FileOptions.Asynchronous);
                await snapshot.CopyToAsync(spool, ct).ConfigureAwait(false);
                source = spool;
            }
            source.Position = 0;
            var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(source, ct).ConfigureAwait(false));
            source.Position = 0;
            await EnsureContainerAsync(ct).ConfigureAwait(false);
            await blob.UploadAsync(source, new BlobUploadOptions
            {
                Metadata = new Dictionary<string, string> { [Sha256Metadata] = sha },
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/octet-stream" },
            }, ct).ConfigureAwait(false);
            return sha;
        }
        finally
        {
            if (spool is not null) await spool.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async Task<Stream> OpenReadAsync(string releaseId, CancellationToken ct)
    {
        var blob = _container.GetBlobClient(BlobName(releaseId));
        try
        {
            return await blob.OpenReadAsync(new BlobOpenReadOptions(allowModifications: false), ct).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            throw new SnapshotNotFoundException($"no snapshot for release {releaseId}: blob {_container.Name}/{blob.Name} does not exist", ex);
        }
    }

    /// <summary>The SHA-256 recorded when the snapshot was uploaded, or null when the blob is missing.</summary>
    public async Task<string?> GetSha256Async(string releaseId, CancellationToken ct)
    {
        try
        {
            var props = await _container.GetBlobClient(BlobName(releaseId)).GetPropertiesAsync(cancellationToken: ct).ConfigureAwait(false);
            return props.Value.Metadata.TryGetValue(Sha256Metadata, out var sha) ? sha : null;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    private Task EnsureContainerAsync(CancellationToken ct)
    {
        var created = _created;
        if (created is { IsCompletedSuccessfully: true }) return created;
        return _created = _container.CreateIfNotExistsAsync(cancellationToken: ct);
    }
}
