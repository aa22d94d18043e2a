using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace CodePairs.Storage.Batches;

/// <summary><see cref="IBatchInputs"/> on a blob container.</summary>
public sealed class BlobBatchInputs(BlobContainerClient container) : IBatchInputs
{
    private const int ReadBuffer = 4 * 1024 * 1024;

    public string Container => container.Name;

    public Task CreateIfNotExistsAsync(CancellationToken cancellationToken) => container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);

    public async Task<BatchInputBlob?> GetAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var properties = (await container.GetBlobClient(name).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            return new BatchInputBlob(Unquoted(properties.ETag), properties.ContentLength);
        }
        catch (RequestFailedException e) when (e.Status == 404) { return null; }
    }

    public async Task<Stream> OpenReadAsync(string name, string etag, long position, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await container.GetBlobClient(name).OpenReadAsync(new BlobOpenReadOptions(allowModifications: false)
            {
                Position = position, BufferSize = ReadBuffer, Conditions = IfMatch(etag),
            }, cancellationToken).ConfigureAwait(false);
            return new ConditionalReadStream(stream);
        }
        catch (RequestFailedException e) when (e.Status == 412) { throw new BatchInputChangedException(e); }
    }

    public async Task<byte[]> ReadHeadAsync(string name, string etag, int bytes, CancellationToken cancellationToken)
    {
        try
        {
            var download = await container.GetBlobClient(name).DownloadContentAsync(new BlobDownloadOptions
            {
                Range = new HttpRange(0, bytes), Conditions = IfMatch(etag),
            }, cancellationToken).ConfigureAwait(false);
            return download.Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 412) { throw new BatchInputChangedException(e); }
        catch (RequestFailedException e) when (e.Status == 416) { return []; } // an empty blob has no range to read
    }

    public async Task<string> UploadAsync(string name, Stream body, string contentType, CancellationToken cancellationToken)
    {
        var uploaded = await container.GetBlobClient(name).UploadAsync(body, new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
            TransferOptions = new StorageTransferOptions { MaximumTransferSize = ReadBuffer, InitialTransferSize = ReadBuffer },
        }, cancellationToken).ConfigureAwait(false);
        return Unquoted(uploaded.Value.ETag);
    }

    private static string Unquoted(ETag etag) => etag.ToString().Trim('"');

    private static BlobRequestConditions IfMatch(string etag) => new() { IfMatch = new ETag("\"" + etag + "\"") };
}
