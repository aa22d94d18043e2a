using Azure.Storage.Queues;
using CodePairs.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CodePairs.Functions.Batches;

public static class BatchesRegistration
{
    /// <summary>Batch-file validation: options (<c>CodePairs:Batches</c>), the chunk queue client and the processor.</summary>
    public static IServiceCollection AddCodePairsBatches(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BatchOptions>().BindConfiguration(BatchOptions.Section)
            .Validate(o => o.ChunkBytes >= 1024 * 1024 && o.PartBytes >= 64 * 1024, "CodePairs:Batches: ChunkBytes must be at least 1 MiB and PartBytes at least 64 KiB")
            .Validate(o => { try { o.ParsedDefaultSetting(); return true; } catch (InvalidOperationException) { return false; } },
                "CodePairs:Batches:DefaultSetting must be 'practitioner' or 'hospital'");
        services.AddSingleton(sp =>
        {
            var settings = StorageSettings.From(configuration, StorageNames.Connection);
            // The queue trigger reads base64 messages (the Queues extension's default encoding).
            var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
            return settings.ConnectionString is { } cs
                ? new QueueServiceClient(cs, options)
                : new QueueServiceClient(settings.QueueServiceUri ?? throw settings.Missing("queueServiceUri"), settings.Credential(), options);
        });
        services.AddSingleton<BatchProcessor>();
        return services;
    }
}
