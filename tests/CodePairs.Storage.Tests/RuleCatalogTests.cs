using Azure;
using CodePairs.Rules;
using CodePairs.Storage;

namespace CodePairs.Storage.Tests;

/// <summary>The catalogue (table versions, rule sets) and the active pointer against a real Azurite (each test uses its own table).</summary>
public sealed class RuleCatalogTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string A = "rs-00000000000a";
    private const string B = "rs-00000000000b";
    private const string C = "rs-00000000000c";

    private TableRuleCatalog NewCatalog()
    {
        AzuriteFixture.RequireAzurite();
        return new TableRuleCatalog(azurite.Tables, azurite.NewTableName("catalog"));
    }

    private static readonly DateTimeOffset At = new(2026, 6, 20, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task TableVersionEntriesRoundTripWithTheirSourcesAndState()
    {
        var catalog = NewCatalog();
        var loading = new TableVersionEntry(TableId.MuePractitioner, "2026-10-01-0a1b2c3d", "2026-10-01", new DateOnly(2026, 10, 1), 14_700, 0,
            [new TableSource("medicare-ncci-2026-q4-practitioner-services-mue-table.zip/MCR_MUE_PractitionerServices_Eff_10-01-2026.csv", new string('a', 64))],
            VersionStatus.Loading, null, At);
        await catalog.UpsertVersionAsync(loading, default);
        await catalog.UpsertVersionAsync(loading with { Table = TableId.PtpPractitioner, Key = "v322r0-00000000", Version = "v322r0", EffectiveFrom = new DateOnly(2026, 7, 1) }, default);
        var verified = loading with { Status = VersionStatus.Verified, SnapshotSha256 = new string('b', 64), LastError = "previous attempt: timeout" };
        await catalog.UpsertVersionAsync(verified, default);

        var got = await catalog.GetVersionAsync(TableId.MuePractitioner, "2026-10-01-0a1b2c3d", default);
        Assert.Equal(verified with { Sources = got!.Sources }, got);
        Assert.Equal(verified.Sources, got.Sources);
        Assert.Equal([TableId.PtpPractitioner, TableId.MuePractitioner], (await catalog.ListVersionsAsync(default)).Select(v => v.Table));
        Assert.Null(await catalog.GetVersionAsync(TableId.MueHospital, "2026-10-01-0a1b2c3d", default));
    }

    [Fact]
    public async Task RuleSetEntriesRoundTripWithTheirTableVersions()
    {
        var catalog = NewCatalog();
        TableRef[] tables =
        [
            new(TableId.PtpPractitioner, "v322r0-00000000", "v322r0", new DateOnly(2026, 7, 1)),
            new(TableId.MuePractitioner, "2026-07-01-00000001", "2026-07-01", new DateOnly(2026, 7, 1)),
            new(TableId.MuePractitioner, "2026-10-01-00000002", "2026-10-01", new DateOnly(2026, 10, 1)),
        ];
        var entry = new RuleSetEntry(A, RuleSetStatus.Verified, tables, "drop mueq4 (drop)", B, new string('c', 64), At, null)
        {
            Changes = [new ChangeSummary(TableId.MuePractitioner, "2026-07-01", "2026-10-01",
                new Dictionary<ChangeKind, int> { [ChangeKind.Raised] = 3, [ChangeKind.Removed] = 1 }, 4, [new AffectedCode("11042", 1)])],
        };
        await catalog.UpsertRuleSetAsync(entry, default);
        await catalog.UpsertRuleSetAsync(entry with { Id = B, Previous = null, CreatedAt = At.AddDays(-90) }, default);

        var got = await catalog.GetRuleSetAsync(A, default);
        Assert.Equal(entry with { Tables = got!.Tables, Changes = got.Changes }, got);
        Assert.Equal(tables, got.Tables);
        var change = Assert.Single(got.Changes);
        Assert.Equal((4, 3, "11042"), (change.Total, change.Counts[ChangeKind.Raised], change.MostAffected[0].Code));
        Assert.Equal([B, A], (await catalog.ListRuleSetsAsync(default)).Select(s => s.Id));
        Assert.Null(await catalog.GetRuleSetAsync(C, default));
    }

    [Theory]
    [InlineData("../rules-incoming/x")]
    [InlineData("rs-00000000000")]
    [InlineData("RS-00000000000A")]
    [InlineData("v322r0")]
    public async Task IdsOfAnotherShapeAreRefusedBeforeAnyRequest(string id)
    {
        var catalog = NewCatalog();
        await Assert.ThrowsAsync<ArgumentException>(() => catalog.GetRuleSetAsync(id, default));
        await Assert.ThrowsAsync<ArgumentException>(() => catalog.SetActiveAsync(id, null, default));
    }

    [Fact]
    public async Task PointerIsCreatedOnlyWhenAbsentAndMovedOnlyWithTheCurrentETag()
    {
        var catalog = NewCatalog();
        Assert.Null(await catalog.GetActiveAsync(default));

        var created = await catalog.SetActiveAsync(A, null, default);
        Assert.Equal(A, created.RuleSetId);
        Assert.NotEqual(default, created.ETag);

        var moved = await catalog.SetActiveAsync(B, created.ETag, default);
        Assert.NotEqual(created.ETag, moved.ETag);

        var read = await catalog.GetActiveAsync(default);
        Assert.Equal((B, moved.ETag), (read!.RuleSetId, read.ETag));
    }

    [Fact]
    public async Task AStaleETagIsAConflictWhenSomeoneElseMovedThePointer()
    {
        var catalog = NewCatalog();
        var first = await catalog.SetActiveAsync(A, null, default);
        await catalog.SetActiveAsync(B, first.ETag, default); // another worker flips it

        var ex = await Assert.ThrowsAsync<PointerConflictException>(() => catalog.SetActiveAsync(C, first.ETag, default));
        Assert.Equal(B, ex.Current!.RuleSetId);
        Assert.Equal(412, Assert.IsType<RequestFailedException>(ex.InnerException).Status);
        Assert.Equal(B, (await catalog.GetActiveAsync(default))!.RuleSetId);
    }

    [Fact]
    public async Task CreatingAPointerThatSomeoneElseCreatedIsAConflict()
    {
        var catalog = NewCatalog();
        await catalog.SetActiveAsync(A, null, default);
        await Assert.ThrowsAsync<PointerConflictException>(() => catalog.SetActiveAsync(B, null, default));
    }

    [Fact]
    public async Task A412WhenTheStoredValueIsOursIsTreatedAsSuccess()
    {
        // What a retried request sees when its first attempt succeeded but the response was lost: the ETag it sends
        // is now stale, yet the pointer already holds what it wanted.
        var catalog = NewCatalog();
        var before = await catalog.SetActiveAsync(A, null, default);
        var firstAttempt = await catalog.SetActiveAsync(B, before.ETag, default);

        var retry = await catalog.SetActiveAsync(B, before.ETag, default);

        Assert.Equal((B, firstAttempt.ETag), (retry.RuleSetId, retry.ETag));
    }

    [Fact]
    public async Task ARetriedCreateThatAlreadySucceededIsTreatedAsSuccess()
    {
        var catalog = NewCatalog();
        var created = await catalog.SetActiveAsync(A, null, default);
        var again = await catalog.SetActiveAsync(A, null, default);
        Assert.Equal(created.ETag, again.ETag);
    }
}
