using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CodePairs.Storage;

public static class StorageRegistration
{
    /// <summary>The storage clients (<see cref="StorageClients.AddCodePairsStorageClients"/>), the stores, the release
    /// protocol (<see cref="RulePublisher"/>) and the refresh's job row, drop container and release files, as
    /// singletons.</summary>
    public static IServiceCollection AddCodePairsStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCodePairsStorageClients(configuration);
        services.AddSingleton<IRuleCatalog>(sp => new TableRuleCatalog(sp.GetRequiredService<TableServiceClient>(), StorageNames.CatalogTable,
            sp.GetService<TimeProvider>()));
        services.AddSingleton<IRuleEditsStore>(sp => new TableRuleEditsStore(sp.GetRequiredService<TableServiceClient>()));
        services.AddSingleton<ISnapshotStore>(sp => new BlobSnapshotStore(sp.GetRequiredService<BlobServiceClient>()));
        services.AddSingleton<ICheckpointStore>(sp => new TableCheckpointStore(sp.GetRequiredService<TableServiceClient>()));
        services.AddSingleton(sp => new RuleSetLoader(sp.GetRequiredService<ISnapshotStore>()));
        services.AddSingleton(sp => new RulePublisher(sp.GetRequiredService<IRuleCatalog>(), sp.GetRequiredService<IRuleEditsStore>(),
            sp.GetRequiredService<ISnapshotStore>(), sp.GetRequiredService<ICheckpointStore>(), sp.GetService<TimeProvider>()));
        services.AddSingleton<IRefreshJobRow>(sp => new TableRefreshJobRow(sp.GetRequiredService<TableServiceClient>(), StorageNames.CatalogTable,
            sp.GetService<TimeProvider>()));
        services.AddSingleton<IDropSource>(sp => new DropContainerSource(sp.GetRequiredService<BlobServiceClient>()));
        services.AddSingleton<IReleaseFiles>(sp => new BlobReleaseFiles(sp.GetRequiredService<BlobServiceClient>()));
        return services;
    }
}
