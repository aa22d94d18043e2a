using System.Text.Json;
using Azure.Storage.Queues;

namespace CodePairs.Storage.Batches;

/// <summary><see cref="IBatchChunkQueue"/> on a storage queue; messages are JSON with the caller's options, in the
/// client's encoding (Base64 for the Functions queue trigger: see <see cref="StorageSettings.CreateQueueServiceClient"/>).</summary>
public sealed class QueueBatchChunks(QueueClient queue, JsonSerializerOptions json) : IBatchChunkQueue
{
    private volatile bool _created;

    public string Name => queue.Name;

    public async Task SendAsync<T>(T message, CancellationToken cancellationToken)
    {
        if (!_created)
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            _created = true;
        }
        await queue.SendMessageAsync(JsonSerializer.Serialize(message, json), cancellationToken).ConfigureAwait(false);
    }
}
