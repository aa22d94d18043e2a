using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using CodePairs.Storage;
using CodePairs.Storage.Batches;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CodePairs.Functions.Batches;

public static class BatchesRegistration
{
    /// <summary>Batch-file validation: options (<c>CodePairs:Batches</c>), the door's stores on its own Blob and Queue clients, and the processor.</summary>
    public static IServiceCollection AddCodePairsBatches(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BatchOptions>().BindConfiguration(BatchOptions.Section)
            .Validate(o => o.ChunkBytes >= 1024 * 1024 && o.PartBytes >= 64 * 1024, "CodePairs:Batches: ChunkBytes must be at least 1 MiB and PartBytes at least 64 KiB")
            .Validate(o => { try { o.ParsedDefaultSetting(); return true; } catch (InvalidOperationException) { return false; } },
                "CodePairs:Batches:DefaultSetting must be 'practitioner' or 'hospital'");
        // The door's own clients (fast retries, short request timeout), not the rule store's.
        var settings = StorageSettings.From(configuration, StorageNames.Connection);
        services.AddSingleton(sp => Stores(settings, sp.GetRequiredService<IOptions<BatchOptions>>().Value));
        services.AddSingleton<BatchProcessor>();
        return services;
    }

    /// <summary>The batch door's stores (<see cref="BatchStores.Open"/>) for its options' containers and queue.</summary>
    /// <param name="configureBlobs">Tests and harnesses add a fault-injecting policy here (and in <paramref name="configureQueues"/>).</param>
    public static BatchStores Stores(StorageSettings settings, BatchOptions options,
        Action<BlobClientOptions>? configureBlobs = null, Action<QueueClientOptions>? configureQueues = null)
        => BatchStores.Open(settings, options.InputContainer, options.OutputContainer, options.ChunkQueue, BatchJson.Options, configureBlobs, configureQueues);
}
