using Azure;
using CodePairs.Storage;
using CodePairs.Rules;

namespace CodePairs.Functions.Tests.Storage;

/// <summary>The catalogue and the active pointer against a real Azurite (each test uses its own table).</summary>
public sealed class RuleCatalogTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private TableRuleCatalog NewCatalog()
    {
        AzuriteFixture.RequireAzurite();
        return new TableRuleCatalog(azurite.Tables, azurite.NewTableName("catalog"));
    }

    private static ReleaseEntry Entry(string id, ReleaseStatus status = ReleaseStatus.Loading) => new(
        id, new DateOnly(2026, 7, 1), status,
        [new ReleaseComponent("ptp-practitioner", "v322r0", 2_561_000, new DateOnly(2026, 7, 1)),
         new ReleaseComponent("mue-practitioner", "2026-07-01", 14_700, new DateOnly(2026, 7, 1))],
        null, null, new DateTimeOffset(2026, 6, 20, 3, 0, 0, TimeSpan.Zero), null, null);

    [Fact]
    public async Task UpsertListAndGetRoundTripAReleaseEntry()
    {
        var catalog = NewCatalog();
        var loading = Entry("v322r0");
        await catalog.UpsertAsync(loading, default);
        await catalog.UpsertAsync(Entry("v321r0") with { EffectiveFrom = new DateOnly(2026, 4, 1) }, default);

        var verified = loading with
        {
            Status = ReleaseStatus.Verified, SnapshotBlob = "rules-snapshots/v322r0.snapshot", SnapshotSha256 = new string('a', 64),
            ActivatedAt = new DateTimeOffset(2026, 7, 1, 0, 5, 0, TimeSpan.Zero), LastError = "previous attempt: timeout",
        };
        await catalog.UpsertAsync(verified, default);

        var got = await catalog.GetAsync("v322r0", default);
        Assert.NotNull(got);
        Assert.Equal(verified with { Components = got.Components }, got);
        Assert.Equal(verified.Components, got.Components);

        var all = await catalog.ListAsync(default);
        Assert.Equal(["v321r0", "v322r0"], all.Select(e => e.Id));
        Assert.Null(await catalog.GetAsync("v999r0", default));
    }

    [Fact]
    public async Task PointerIsCreatedOnlyWhenAbsentAndMovedOnlyWithTheCurrentETag()
    {
        var catalog = NewCatalog();
        Assert.Null(await catalog.GetActiveAsync(default));

        var created = await catalog.SetActiveAsync(["v321r0"], null, default);
        Assert.Equal(["v321r0"], created.ReleaseIds);
        Assert.NotEqual(default, created.ETag);

        var moved = await catalog.SetActiveAsync(["v321r0", "v322r0"], created.ETag, default);
        Assert.NotEqual(created.ETag, moved.ETag);

        var read = await catalog.GetActiveAsync(default);
        Assert.NotNull(read);
        Assert.Equal(["v321r0", "v322r0"], read.ReleaseIds);
        Assert.Equal(moved.ETag, read.ETag);
    }

    [Fact]
    public async Task AStaleETagIsAConflictWhenSomeoneElseMovedThePointer()
    {
        var catalog = NewCatalog();
        var first = await catalog.SetActiveAsync(["v321r0"], null, default);
        await catalog.SetActiveAsync(["v322r0"], first.ETag, default); // another worker flips it

        var ex = await Assert.ThrowsAsync<PointerConflictException>(() => catalog.SetActiveAsync(["v323r0"], first.ETag, default));
        Assert.Equal(["v322r0"], ex.Current!.ReleaseIds);
        Assert.Equal(412, Assert.IsType<RequestFailedException>(ex.InnerException).Status);
        Assert.Equal(["v322r0"], (await catalog.GetActiveAsync(default))!.ReleaseIds);
    }

    [Fact]
    public async Task CreatingAPointerThatSomeoneElseCreatedIsAConflict()
    {
        var catalog = NewCatalog();
        await catalog.SetActiveAsync(["v321r0"], null, default);

        await Assert.ThrowsAsync<PointerConflictException>(() => catalog.SetActiveAsync(["v322r0"], null, default));
    }

    [Fact]
    public async Task A412WhenTheStoredValueIsOursIsTreatedAsSuccess()
    {
        // What a retried request sees when its first attempt succeeded but the response was lost: the ETag it sends
        // is now stale, yet the pointer already holds what it wanted.
        var catalog = NewCatalog();
        var before = await catalog.SetActiveAsync(["v321r0"], null, default);
        var firstAttempt = await catalog.SetActiveAsync(["v321r0", "v322r0"], before.ETag, default);

        var retry = await catalog.SetActiveAsync(["v321r0", "v322r0"], before.ETag, default);

        Assert.Equal(["v321r0", "v322r0"], retry.ReleaseIds);
        Assert.Equal(firstAttempt.ETag, retry.ETag);
    }

    [Fact]
    public async Task ARetriedCreateThatAlreadySucceededIsTreatedAsSuccess()
    {
        var catalog = NewCatalog();
        var created = await catalog.SetActiveAsync(["v322r0"], null, default);
        var again = await catalog.SetActiveAsync(["v322r0"], null, default);
        Assert.Equal(created.ETag, again.ETag);
    }
}
