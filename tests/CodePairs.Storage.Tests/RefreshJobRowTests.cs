using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Data.Tables;
using CodePairs.Rules.Cms;
using CodePairs.Tests.Shared;
using Microsoft.Extensions.Time.Testing;

namespace CodePairs.Storage.Tests;

/// <summary>The refresh's job row and lease (<see cref="TableRefreshJobRow"/>) on the real Azurite: one holder at a
/// time, progress and the end written into the row, a crashed holder's lease taken over once it expires.</summary>
public sealed class RefreshJobRowTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-08-03T06:00:00Z"));

    private TableRefreshJobRow NewRow() => new(azurite.Tables, azurite.NewTableName("catalog"), _clock);

    [Fact]
    public async Task ARowNeverWrittenIsIdle()
    {
        Assert.Equal(RefreshStatus.Never, await NewRow().GetAsync(default));
    }

    [Fact]
    public async Task OneStartTakesTheLeaseAndASecondIsToldWhoHoldsIt()
    {
        var row = NewRow();

        var (lease, status) = await row.TryAcquireAsync("timer", default);
        var (second, holder) = await row.TryAcquireAsync("admin", default);

        Assert.NotNull(lease);
        Assert.Equal((RefreshState.Running, "starting", "timer"), (status.State, status.Step, status.Trigger));
        Assert.Equal(_clock.GetUtcNow() + TableRefreshJobRow.LeaseDuration, status.LeaseExpiresAt);
        Assert.Null(second);
        Assert.Equal((RefreshState.Running, "timer"), (holder.State, holder.Trigger));
    }

    [Fact]
    public async Task ProgressAndTheEndAreWrittenIntoTheRowAndFreeTheLease()
    {
        var row = NewRow();
        var (lease, _) = await row.TryAcquireAsync("admin", default);
        var outcome = new CandidateOutcome("v322r0", "rs-00000000000a", CandidateResult.Activated, "rule set rs-00000000000a is active")
        {
            Files = [new ImportedFile("ptp.zip", FileOutcome.Loaded, "read")],
        };

        await lease!.StepAsync("fetch v322r0", default);
        Assert.Equal("fetch v322r0", (await row.GetAsync(default)).Step);
        await lease.ReportAsync(s => s with { Candidates = [outcome] }, force: true, default);
        _clock.Advance(TimeSpan.FromMinutes(3));
        await lease.FinishAsync(true, "v322r0: activated", null);

        var done = await row.GetAsync(default);
        Assert.Equal((RefreshState.Succeeded, "v322r0: activated", _clock.GetUtcNow()), (done.State, done.Outcome, done.FinishedAt));
        var stored = Assert.Single(done.Candidates);
        Assert.Equal((outcome.Candidate, outcome.RuleSetId, outcome.Result, outcome.Detail), (stored.Candidate, stored.RuleSetId, stored.Result, stored.Detail));
        Assert.Equal(outcome.Files, stored.Files);
        var (next, _) = await row.TryAcquireAsync("timer", default);
        Assert.NotNull(next);
    }

    [Fact]
    public async Task AReportWithoutForceWithinASecondOfTheLastWriteStaysInMemory()
    {
        var row = NewRow();
        var (lease, _) = await row.TryAcquireAsync("timer", default);
        await lease!.StepAsync("publish", default);

        await lease.ReportAsync(s => s with { EntitiesWritten = 100 }, force: false, default);

        Assert.Equal(100, lease.Status.EntitiesWritten);
        Assert.Equal(0, (await row.GetAsync(default)).EntitiesWritten);
        _clock.Advance(TimeSpan.FromSeconds(2));
        await lease.ReportAsync(s => s with { EntitiesWritten = 200 }, force: false, default);
        Assert.Equal(200, (await row.GetAsync(default)).EntitiesWritten);
    }

    [Fact]
    public async Task ACrashedHoldersLeaseIsTakenOverOnceItExpiresAndItsLaterWritesAreRefused()
    {
        var row = NewRow();
        var (crashed, _) = await row.TryAcquireAsync("timer", default);

        _clock.Advance(TableRefreshJobRow.LeaseDuration + TimeSpan.FromSeconds(1));
        var (taker, status) = await row.TryAcquireAsync("admin", default);

        Assert.NotNull(taker);
        Assert.Equal((RefreshState.Running, "admin", "took over from a running job"), (status.State, status.Trigger, status.Outcome));
        await Assert.ThrowsAsync<Azure.RequestFailedException>(() => crashed!.StepAsync("late", default));
        await crashed!.FinishAsync(false, null, "late"); // swallowed: the row is the taker's
        Assert.Equal((RefreshState.Running, "admin"), ((await row.GetAsync(default)).State, (await row.GetAsync(default)).Trigger));
    }

    [Theory]
    [InlineData(StorageFault.ConnectionReset)] // retries run out on exceptions: Azure.Core throws an AggregateException
    [InlineData(StorageFault.ServerBusy)] // retries run out on 503s: a RequestFailedException
    public async Task AFinalWriteThatStorageKeepsFailingIsSwallowedSoTheJobsOwnErrorIsWhatSurfaces(StorageFault fault)
    {
        var faults = new FaultInjectionPolicy(0, kinds: [(fault, 1)]);
        var settings = new StorageSettings(StorageNames.Connection, AzuriteFixture.ConnectionString, null, null, null, null, null);
        var tables = settings.CreateTableServiceClient(o => { o.Retry.MaxRetries = 1; FaultInjectionPolicy.Install(o, faults); });
        var table = azurite.NewTableName("catalog");
        var (lease, _) = await new TableRefreshJobRow(tables, table, _clock).TryAcquireAsync("timer", default);

        faults.Rate = 1; // storage goes down mid-run
        await lease!.FinishAsync(false, null, "the job's own error");

        Assert.Equal(2, faults.InjectedTotal); // the write was tried (and retried once), then given up
        Assert.Equal(RefreshState.Running, (await new TableRefreshJobRow(azurite.Tables, table, _clock).GetAsync(default)).State); // the lease expires in its time
    }

    [Fact]
    public async Task TheRowStoresStatesAndResultsByTheirJsonNames()
    {
        var table = azurite.NewTableName("catalog");
        var row = new TableRefreshJobRow(azurite.Tables, table, _clock);
        var (lease, _) = await row.TryAcquireAsync("timer", default);
        var stored = await azurite.Tables.GetTableClient(table).GetEntityAsync<TableEntity>("job", "refresh");
        Assert.Equal("running", stored.Value.GetString("State"));

        await lease!.ReportAsync(s => s with { Candidates = [new CandidateOutcome("v1", null, CandidateResult.Skipped, "seen")] }, force: true, default);
        await lease.FinishAsync(false, "v1: skipped", "boom");

        stored = await azurite.Tables.GetTableClient(table).GetEntityAsync<TableEntity>("job", "refresh");
        Assert.Equal("failed", stored.Value.GetString("State"));
        Assert.Equal("""[{"candidate":"v1","result":"skipped","detail":"seen","files":[],"tables":[]}]""", stored.Value.GetString("Candidates"));
    }

    [Fact]
    public void TheStatusIsWrittenAsGetRefreshAnswersIt()
    {
        var at = DateTimeOffset.Parse("2026-08-03T06:00:00Z");
        var status = new RefreshStatus(RefreshState.Succeeded, "publish v1", "v1", "admin", 1, 2, at, at, at, null, "v1: activated")
        {
            Candidates = [new CandidateOutcome("v1", "rs-00000000000a", CandidateResult.Activated, "active")],
        };
        var json = JsonSerializer.Serialize(status, new JsonSerializerOptions(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull });

        Assert.Equal("""{"state":"succeeded","step":"publish v1","drop":"v1","trigger":"admin","entitiesWritten":1,"entitiesTotal":2,"startedAt":"2026-08-03T06:00:00+00:00","finishedAt":"2026-08-03T06:00:00+00:00","leaseExpiresAt":"2026-08-03T06:00:00+00:00","outcome":"v1: activated","candidates":[{"candidate":"v1","ruleSetId":"rs-00000000000a","result":"activated","detail":"active","files":[],"tables":[]}]}""", json);
        Assert.Equal("""{"state":"idle","entitiesWritten":0,"entitiesTotal":0,"candidates":[]}""",
            JsonSerializer.Serialize(RefreshStatus.Never, new JsonSerializerOptions(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull }));
    }
}
