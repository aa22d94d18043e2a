using Azure.Core;
using Azure.Data.Tables;

namespace CodePairs.Storage.Tests;

/// <summary>The pointer's conflict handling as a retried request meets it, on the real Azurite: a 412 after our own
/// write succeeded (its response lost, the SDK's retry refused) is a success; a 412 because another worker moved the
/// pointer is a conflict naming where it points now.</summary>
public sealed class PointerRetryTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Ours = "rs-00000000000a";
    private const string Theirs = "rs-00000000000b";

    [Fact]
    public async Task A412WhoseReReadShowsOurIdReturnsThePointerAsStored()
    {
        // The first replace of the pointer reaches storage and its response is lost: the SDK retries it with the ETag
        // that no longer matches, and storage answers 412.
        var replaces = 0;
        var lost = new FaultInjectionPolicy(1, kinds: [(StorageFault.ResponseLost, 1)])
        {
            Applies = m => m.Request.Method == RequestMethod.Put && Interlocked.Increment(ref replaces) == 1,
        };
        var options = new TableClientOptions();
        FaultInjectionPolicy.Install(options, lost);
        var catalog = new TableRuleCatalog(new TableServiceClient(AzuriteFixture.ConnectionString, options), azurite.NewTableName("catalog"));
        var created = await catalog.SetActiveAsync(Theirs, null, default);

        var pointer = await catalog.SetActiveAsync(Ours, created.ETag, default);

        var stored = (await catalog.GetActiveAsync(default))!;
        Assert.Equal((Ours, stored.ETag), (pointer.RuleSetId, pointer.ETag));
        Assert.NotEqual(created.ETag, pointer.ETag);
        Assert.Equal(1, lost.InjectedTotal);
        Assert.Equal(2, replaces); // the lost write and the retry that met the 412
    }

    [Fact]
    public async Task A412WhoseReReadShowsAnotherIdIsAConflict()
    {
        var catalog = new TableRuleCatalog(azurite.Tables, azurite.NewTableName("catalog"));
        var created = await catalog.SetActiveAsync(Ours, null, default);
        await catalog.SetActiveAsync(Theirs, created.ETag, default); // another worker flips it

        var ex = await Assert.ThrowsAsync<PointerConflictException>(() => catalog.SetActiveAsync(Ours, created.ETag, default));

        Assert.Equal(Theirs, ex.Current!.RuleSetId);
        Assert.Contains($"it now names {Theirs}", ex.Message);
    }
}
