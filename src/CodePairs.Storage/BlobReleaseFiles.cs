using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace CodePairs.Storage;

/// <summary>The files of candidate releases in the account of the drop container and the raw archive
/// (<c>rules-archive/&lt;sha256&gt;/&lt;file&gt;</c>, where the URL source also keeps its downloads).</summary>
public sealed class BlobReleaseFiles(BlobServiceClient blobs) : IReleaseFiles
{
    public async Task<Stream> OpenReadAsync(IncomingFile file, CancellationToken ct)
        => await Blob(file).OpenReadAsync(cancellationToken: ct).ConfigureAwait(false);

    public Task RecordSha256Async(IncomingFile file, string sha256, CancellationToken ct)
        => Blob(file).SetMetadataAsync(new Dictionary<string, string> { ["sha256"] = sha256 }, cancellationToken: ct);

    public async Task ArchiveAsync(IncomingFile file, string sha256, CancellationToken ct)
    {
        if (file.Container == StorageNames.ArchiveContainer) return;
        var archive = blobs.GetBlobContainerClient(StorageNames.ArchiveContainer);
        await archive.CreateIfNotExistsAsync(cancellationToken: ct).ConfigureAwait(false);
        var target = archive.GetBlobClient($"{sha256}/{Path.GetFileName(file.Name)}");
        if (await target.ExistsAsync(ct).ConfigureAwait(false)) return;
        try
        {
            var copy = await target.StartCopyFromUriAsync(Blob(file).Uri, new BlobCopyFromUriOptions
            {
                Metadata = new Dictionary<string, string> { ["sha256"] = sha256, ["source"] = $"{file.Container}/{file.BlobName}" },
            }, ct).ConfigureAwait(false);
            await copy.WaitForCompletionAsync(ct).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // The retry of a copy whose response was lost meets the copy it started (PendingCopyOperation): wait for it.
            for (var i = 0; ; i++)
            {
                var copied = (await target.GetPropertiesAsync(cancellationToken: ct).ConfigureAwait(false)).Value;
                if (copied.CopyStatus == CopyStatus.Success) return;
                if (copied.CopyStatus != CopyStatus.Pending || i >= 600) throw;
                await Task.Delay(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
            }
        }
    }

    private BlobClient Blob(IncomingFile file) => blobs.GetBlobContainerClient(file.Container).GetBlobClient(file.BlobName);
}
