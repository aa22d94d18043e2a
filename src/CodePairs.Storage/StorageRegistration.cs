using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CodePairs.Storage;

public static class StorageRegistration
{
    /// <summary>The storage clients (<see cref="StorageClients.AddCodePairsStorageClients"/>) and the three stores, as singletons.</summary>
    public static IServiceCollection AddCodePairsStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCodePairsStorageClients(configuration);
        services.AddSingleton<IRuleCatalog>(sp => new TableRuleCatalog(sp.GetRequiredService<TableServiceClient>(), StorageNames.CatalogTable,
            sp.GetService<TimeProvider>()));
        services.AddSingleton<IReleaseEditsStore>(sp => new TableReleaseEditsStore(sp.GetRequiredService<TableServiceClient>()));
        services.AddSingleton<ISnapshotStore>(sp => new BlobSnapshotStore(sp.GetRequiredService<BlobServiceClient>()));
        return services;
    }
}
