using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace CodePairs.Storage.Batches;

/// <summary><see cref="IBatchOutputs"/> on a blob container; documents are JSON with the caller's options.</summary>
public sealed class BlobBatchOutputs(BlobContainerClient container, JsonSerializerOptions json) : IBatchOutputs
{
    public string Container => container.Name;

    public Task CreateIfNotExistsAsync(CancellationToken cancellationToken) => container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);

    public async Task<bool> ExistsAsync(string name, CancellationToken cancellationToken)
        => (await container.GetBlobClient(name).ExistsAsync(cancellationToken).ConfigureAwait(false)).Value;

    public async Task<T?> ReadAsync<T>(string name, CancellationToken cancellationToken) where T : class
    {
        try
        {
            var content = await container.GetBlobClient(name).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return content.Value.Content.ToObjectFromJson<T>(json);
        }
        catch (RequestFailedException e) when (e.Status == 404) { return null; }
    }

    public async Task<bool> TryCreateAsync<T>(string name, T document, CancellationToken cancellationToken)
    {
        try
        {
            await container.GetBlobClient(name).UploadAsync(Json(document),
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412) { return false; }
    }

    public async Task WriteAsync<T>(string name, T document, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var blob = container.GetBlobClient(name);
        if (metadata is null) await blob.UploadAsync(Json(document), overwrite: true, cancellationToken).ConfigureAwait(false);
        else
            await blob.UploadAsync(Json(document), new BlobUploadOptions { Metadata = metadata.ToDictionary() }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<BatchOutputItem>> ListAsync(string prefix, bool metadata, CancellationToken cancellationToken)
    {
        var items = new List<BatchOutputItem>();
        var empty = new Dictionary<string, string>();
        await foreach (var item in container.GetBlobsAsync(metadata ? BlobTraits.Metadata : BlobTraits.None, BlobStates.None, prefix, cancellationToken)
                           .ConfigureAwait(false))
            items.Add(new BatchOutputItem(item.Name, item.Metadata is { } m ? m.AsReadOnly() : empty));
        return items;
    }

    public StagedBlocks Stage(string name, int chunk, int partBytes, Action<int>? afterStage, CancellationToken cancellationToken)
        => new(container.GetBlockBlobClient(name), chunk, partBytes, cancellationToken) { AfterStage = afterStage };

    public Task CommitAsync(string name, IEnumerable<string> blockIds, string contentType, CancellationToken cancellationToken)
        => container.GetBlockBlobClient(name).CommitBlockListAsync(blockIds,
            new CommitBlockListOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } }, cancellationToken);

    public async Task<BatchOutputBlob> CommitOnceAsync(string name, IEnumerable<string> blockIds, string contentType, CancellationToken cancellationToken)
    {
        var blob = container.GetBlockBlobClient(name);
        try
        {
            var committed = await blob.CommitBlockListAsync(blockIds, new CommitBlockListOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            }, cancellationToken).ConfigureAwait(false);
            var properties = await blob.GetPropertiesAsync(new BlobRequestConditions { IfMatch = committed.Value.ETag }, cancellationToken).ConfigureAwait(false);
            return new BatchOutputBlob(Unquoted(committed.Value.ETag), properties.Value.ContentLength);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            var properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            return new BatchOutputBlob(Unquoted(properties.ETag), properties.ContentLength);
        }
    }

    public async Task<Stream> OpenReadAsync(string name, string etag, long position, CancellationToken cancellationToken)
        => await container.GetBlobClient(name).OpenReadAsync(new BlobOpenReadOptions(allowModifications: false)
        {
            Position = position, BufferSize = ReadBuffer, Conditions = new BlobRequestConditions { IfMatch = new ETag("\"" + etag + "\"") },
        }, cancellationToken).ConfigureAwait(false);

    public Task DeleteIfExistsAsync(string name, CancellationToken cancellationToken)
        => container.GetBlobClient(name).DeleteIfExistsAsync(cancellationToken: cancellationToken);

    private const int ReadBuffer = 4 * 1024 * 1024;

    private static string Unquoted(ETag etag) => etag.ToString().Trim('"');

    private BinaryData Json<T>(T value) => BinaryData.FromObjectAsJson(value, json);
}
