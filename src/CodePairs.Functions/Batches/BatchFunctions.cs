using Azure.Storage.Blobs;
using CodePairs.Functions.Http;
using CodePairs.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace CodePairs.Functions.Batches;

/// <summary>
/// Batch files: a file dropped into <c>batches-in</c> (Event Grid BlobCreated → <see cref="ValidateBatchBlob"/>) or
/// posted to <c>POST /api/v1/batches</c> goes through <see cref="BatchProcessor"/>; big files fan out over the
/// <c>batch-chunks</c> queue; <c>GET /api/v1/batches/{id}</c> shows progress. Thin adapters only: the queue messages
/// are bound as their types (<see cref="ChunkMessage"/>, <see cref="BlobPoisonMessage"/>) and checked by
/// <see cref="BatchMessages"/> inside the processor.
/// </summary>
public sealed class BatchFunctions(BatchProcessor processor)
{
    public const string BlobFunction = "ValidateBatchBlob";

    [Function(BlobFunction)]
    public Task ValidateBatchBlob(
        [BlobTrigger("batches-in/{name}", Source = BlobTriggerSource.EventGrid, Connection = StorageNames.Connection)] BlobClient blob,
        CancellationToken cancellationToken)
        => processor.StartAsync(blob.BlobContainerName, blob.Name, cancellationToken);

    [Function("ValidateBatchChunk")]
    public Task ValidateBatchChunk(
        [QueueTrigger(BatchOptions.ChunkQueueName, Connection = StorageNames.Connection)] ChunkMessage? message, CancellationToken cancellationToken)
        => processor.ProcessChunkMessageAsync(message, cancellationToken);

    /// <summary>A chunk that failed every retry lands here (the host's <c>-poison</c> queue): the batch is marked failed.</summary>
    [Function("BatchChunkPoisoned")]
    public Task BatchChunkPoisoned(
        [QueueTrigger(BatchOptions.ChunkQueueName + "-poison", Connection = StorageNames.Connection)] ChunkMessage? message, CancellationToken cancellationToken)
        => processor.RecordChunkPoisonAsync(message, cancellationToken);

    /// <summary>A batch blob that failed every retry: the blob extension writes it to <c>webjobs-blobtrigger-poison</c> in the
    /// triggering blob's account (CodePairsStorage; the host account only for blob-only accounts).</summary>
    [Function("BatchBlobPoisoned")]
    public Task BatchBlobPoisoned(
        [QueueTrigger("webjobs-blobtrigger-poison", Connection = StorageNames.Connection)] BlobPoisonMessage? message, CancellationToken cancellationToken)
        => processor.RecordBlobPoisonAsync(message, cancellationToken);

    [Function("SubmitBatch")]
    public async Task<Results<Accepted<BatchStatusView>, ProblemHttpResult>> SubmitBatch(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/batches")] HttpRequest request, CancellationToken cancellationToken)
    {
        var (extension, media, refused) = SubmitMedia.Of(request);
        if (refused is not null) return refused;
        var limit = processor.MaxSubmitBytes;
        if (request.ContentLength is { } length && length > limit) return Problems.PayloadTooLarge(limit);
        if (request.ContentLength is 0) return Problems.BadRequest("Empty batch", "The request body is empty: send the file's bytes.");
        BatchStatusView status;
        // The body is counted as it streams into storage: past the limit the stream itself stops the upload.
        try { status = await processor.SubmitAsync(new SubmitBodyStream(request.Body, limit), extension!, media!, cancellationToken); }
        catch (SubmitBodyTooLargeException) { return Problems.PayloadTooLarge(limit); } // nothing was committed
        return TypedResults.Accepted($"/api/v1/batches/{status.Id}", status);
    }

    [Function("BatchStatus")]
    public async Task<Results<Ok<BatchStatusView>, ProblemHttpResult>> BatchStatus(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/batches/{id}")] HttpRequest request, string id, CancellationToken cancellationToken)
    {
        // The id becomes a storage path: only the documented shape goes on; anything else is a 400, never a lookup.
        if (!BatchId.TryParse(id, out var batchId, out var reason))
            return Problems.BadRequest("Invalid batch id", $"The id is not a batch id ({reason}): it is the {BatchId.Shape}.");
        var status = await processor.GetStatusAsync(batchId, cancellationToken);
        if (status is null)
            return Problems.NotFound("No such batch", "No batch has this id: it is the 'id' returned by POST /api/v1/batches (base64url of the input name, a dot, its ETag).");
        return TypedResults.Ok(status);
    }
}
