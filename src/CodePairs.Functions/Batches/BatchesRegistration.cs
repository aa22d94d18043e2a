using CodePairs.Functions.RuleSets;
using CodePairs.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodePairs.Functions.Batches;

public static class BatchesRegistration
{
    /// <summary>Batch-file validation: options (<c>CodePairs:Batches</c>), and the processor over the door's own Blob and Queue clients.</summary>
    public static IServiceCollection AddCodePairsBatches(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BatchOptions>().BindConfiguration(BatchOptions.Section)
            .Validate(o => o.ChunkBytes >= 1024 * 1024 && o.PartBytes >= 64 * 1024, "CodePairs:Batches: ChunkBytes must be at least 1 MiB and PartBytes at least 64 KiB")
            .Validate(o => { try { o.ParsedDefaultSetting(); return true; } catch (InvalidOperationException) { return false; } },
                "CodePairs:Batches:DefaultSetting must be 'practitioner' or 'hospital'");
        // The door's own clients (BatchStorage: fast retries, short request timeout), not the rule store's.
        var settings = StorageSettings.From(configuration, StorageNames.Connection);
        services.AddSingleton(sp => new BatchProcessor(BatchStorage.Blobs(settings), BatchStorage.Queues(settings),
            sp.GetRequiredService<IActiveRules>(), sp.GetRequiredService<IOptions<BatchOptions>>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<BatchProcessor>>()));
        return services;
    }
}
