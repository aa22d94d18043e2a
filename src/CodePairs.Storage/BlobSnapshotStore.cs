using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace CodePairs.Storage;

/// <summary>Snapshots in the <c>rules-snapshots</c> container — one per table version
/// (<c>tables/{table}/{key}.snapshot</c>) and one per rule set (<c>rulesets/{id}.snapshot</c>) — each with its hex
/// SHA-256 in the blob's <c>sha256</c> metadata so a loader can check what it read.</summary>
public sealed class BlobSnapshotStore : ISnapshotStore
{
    public const string Sha256Metadata = "sha256";
    private readonly BlobContainerClient _container;
    private Task? _created;

    public BlobSnapshotStore(BlobServiceClient service, string containerName = StorageNames.SnapshotsContainer)
        => _container = service.GetBlobContainerClient(containerName);

    /// <summary>The blob of a table version's snapshot.</summary>
    public static string VersionBlob(Rules.TableId table, string key) => $"tables/{Rules.Tables.Name(table)}/{RuleEditsLayout.ValidateVersionKey(key)}.snapshot";

    /// <summary>The blob of a rule set's snapshot (every version it holds, over one code index: one read to load).</summary>
    public static string RuleSetBlob(string id) => $"rulesets/{RuleEditsLayout.ValidateRuleSetId(id)}.snapshot";

    /// <summary>Only names built by <see cref="VersionBlob"/> or <see cref="RuleSetBlob"/> reach the container.</summary>
    private static string Checked(string blobName)
    {
        var parts = blobName.Split('/');
        var ok = parts switch
        {
            ["tables", var t, var file] => Rules.Tables.TryParse(t, out _) && file.EndsWith(".snapshot", StringComparison.Ordinal)
                                           && RuleEditsLayout.IsVersionKey(file[..^".snapshot".Length]),
            ["rulesets", var file] => file.EndsWith(".snapshot", StringComparison.Ordinal) && RuleEditsLayout.IsRuleSetId(file[..^".snapshot".Length]),
            _ => false,
        };
        return ok ? blobName : throw new ArgumentException($"'{blobName}' is not a snapshot blob name (tables/<table>/<key>.snapshot or rulesets/<id>.snapshot)", nameof(blobName));
    }

    public async Task<string> UploadAsync(string blobName, Stream snapshot, CancellationToken ct)
    {
        var blob = _container.GetBlobClient(Checked(blobName));
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
            // Overwrites: a retry after a lost response writes the same bytes again. In blocks, so every request stays
            // small against the per-try network timeout (StorageRetry) whatever the snapshot's size.
            await blob.UploadAsync(source, new BlobUploadOptions
            {
                Metadata = new Dictionary<string, string> { [Sha256Metadata] = sha },
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/octet-stream" },
                TransferOptions = StorageRetry.Transfer,
            }, ct).ConfigureAwait(false);
            return sha;
        }
        finally
        {
            if (spool is not null) await spool.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async Task<Stream> OpenReadAsync(string blobName, CancellationToken ct)
    {
        var blob = _container.GetBlobClient(Checked(blobName));
        try
        {
            return await blob.OpenReadAsync(new BlobOpenReadOptions(allowModifications: false), ct).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            throw new SnapshotNotFoundException($"snapshot blob {_container.Name}/{blob.Name} does not exist", ex);
        }
    }

    /// <summary>The SHA-256 recorded when the snapshot was uploaded, or null when the blob is missing.</summary>
    public async Task<string?> GetSha256Async(string blobName, CancellationToken ct)
    {
        try
        {
            var props = await _container.GetBlobClient(Checked(blobName)).GetPropertiesAsync(cancellationToken: ct).ConfigureAwait(false);
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
