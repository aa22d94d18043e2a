using CodePairs.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CodePairs.Storage.Tests;

public sealed class StorageRegistrationTests
{
    [Fact]
    public void AddCodePairsStorageRegistersTheStoresAndTheProtocolAsSingletons()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [StorageNames.Connection] = "UseDevelopmentStorage=true" })
            .Build();
        using var provider = new ServiceCollection().AddCodePairsStorage(configuration).BuildServiceProvider();

        Assert.IsType<TableRuleCatalog>(provider.GetRequiredService<IRuleCatalog>());
        Assert.IsType<TableRuleEditsStore>(provider.GetRequiredService<IRuleEditsStore>());
        Assert.IsType<BlobSnapshotStore>(provider.GetRequiredService<ISnapshotStore>());
        Assert.IsType<TableCheckpointStore>(provider.GetRequiredService<ICheckpointStore>());
        Assert.Same(provider.GetRequiredService<IRuleCatalog>(), provider.GetRequiredService<IRuleCatalog>());
        Assert.Same(provider.GetRequiredService<RulePublisher>(), provider.GetRequiredService<RulePublisher>());
    }
}
