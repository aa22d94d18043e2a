using CodePairs.Functions.Http;
using CodePairs.Functions.Refresh;
using CodePairs.Functions.Tests.Storage;
using CodePairs.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Time.Testing;

namespace CodePairs.Functions.Tests.Refresh;

/// <summary>The refresh job end to end on Azurite, with small generated releases dropped as CMS ships them.</summary>
public sealed class RefreshJobTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static IReadOnlyList<string> Active(ActivePointer? p) => p?.ReleaseIds ?? [];

    [Fact]
    public async Task TimerRunLoadsVerifiesAndActivatesADroppedReleaseAndTheApiServesIt()
    {
        var world = new RefreshWorld(azurite);
        await world.DropAsync("v321r0", RefreshFiles.Small("v321r0"));

        var outcome = await world.Job.RunAsync(new RefreshRequest("timer"), default);

        Assert.True(outcome.Started);
        var candidate = Assert.Single(outcome.Candidates);
        Assert.Equal(("v321r0", "activated"), (candidate.ReleaseId, candidate.Result));
        Assert.Equal(["v321r0"], Active(await world.Catalog.GetActiveAsync(default)));
        var entry = await world.Catalog.GetAsync("v321r0", default);
        Assert.Equal(ReleaseStatus.Active, entry!.Status);
        Assert.Equal(6, entry.Components.Count);
        Assert.NotNull(entry.SnapshotSha256);

        var status = await world.Job.StatusAsync(default);
        Assert.Equal("succeeded", status.State);
        Assert.True(status.EntitiesTotal > 0);
        Assert.Equal(status.EntitiesTotal, status.EntitiesWritten);
        Assert.NotNull(status.FinishedAt);
        Assert.Null(status.LastError);

        // The HTTP API serves it: this worker's set was refreshed after the flip.
        var api = new RuleSetFunctions(world.Catalog, world.Cache);
        var active = Assert.IsType<Ok<ActiveRuleSetView>>(await api.Active(new DefaultHttpContext().Request, default));
        Assert.Equal(["v321r0"], active.Value!.ServedByThisWorker);
        var statusResult = Assert.IsType<Ok<RefreshStatus>>(await world.Functions.Status(new DefaultHttpContext().Request, default));
        Assert.Equal("succeeded", statusResult.Value!.State);

        // Every dropped file is in the raw archive under its SHA-256, and the hash is on the dropped blob.
        foreach (var (name, bytes) in RefreshFiles.Small("v321r0"))
        {
            var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
            var archived = world.Blobs.GetBlobContainerClient(StorageNames.ArchiveContainer).GetBlobClient($"{sha}/{name}");
            Assert.Equal(bytes.Length, (await archived.GetPropertiesAsync()).Value.ContentLength);
            var dropped = await world.Blobs.GetBlobContainerClient(world.DropContainer).GetBlobClient($"v321r0/{name}").GetPropertiesAsync();
            Assert.Equal(sha, dropped.Value.Metadata["sha256"]);
        }
    }

    [Fact]
    public async Task LoadingTheSameFilesTwiceChangesNothingAndIsCheap()
    {
        var world = new RefreshWorld(azurite);
        await world.DropAsync("v321r0", RefreshFiles.Small("v321r0"));
        await world.Job.RunAsync(new RefreshRequest("timer"), default);
        var before = await world.StoredStateAsync("v321r0");
        var pointer = await world.Catalog.GetActiveAsync(default);

        var again = await world.Job.RunAsync(new RefreshRequest("timer"), default);

        Assert.Equal("skipped", Assert.Single(again.Candidates).Result);
        Assert.Equal(0, again.EntityWrites);
        Assert.Equal(before, await world.StoredStateAsync("v321r0"));
        Assert.Equal(pointer!.ETag, (await world.Catalog.GetActiveAsync(default))!.ETag);
    }

    [Fact]
    public async Task ASecondReleaseReplacesTheFirstWhichStaysForRollback()
    {
        var world = new RefreshWorld(azurite);
        await world.DropAsync("v321r0", RefreshFiles.Small("v321r0"));
        await world.Job.RunAsync(new RefreshRequest("timer"), default);
        await world.DropAsync("v322r0", RefreshFiles.Small("v322r0", seed: 2));

        var outcome = await world.Job.RunAsync(new RefreshRequest("timer"), default);

        Assert.Equal(["skipped", "activated"], outcome.Candidates.Select(c => c.Result));
        Assert.Equal(["v322r0"], Active(await world.Catalog.GetActiveAsync(default)));
        Assert.Equal(ReleaseStatus.Retired, (await world.Catalog.GetAsync("v321r0", default))!.Status);
        Assert.Equal(["v322r0"], world.Cache.Current!.ReleaseIds);

        // Roll back through the admin function.
        var rolledBack = Assert.IsType<Ok<ActivationView>>(await world.Functions.Activate(new DefaultHttpContext().Request, "v321r0", default));
        Assert.Equal(["v321r0"], rolledBack.Value!.Active);
        Assert.Equal(["v321r0"], Active(await world.Catalog.GetActiveAsync(default)));
        Assert.Equal(ReleaseStatus.Retired, (await world.Catalog.GetAsync("v322r0", default))!.Status);
        Assert.Equal(["v321r0"], world.Cache.Current!.ReleaseIds);

        var unknown = await world.Functions.Activate(new DefaultHttpContext().Request, "v300r0", default);
        Assert.Equal(StatusCodes.Status404NotFound, Assert.IsAssignableFrom<IStatusCodeHttpResult>(unknown).StatusCode);
    }

    [Fact]
    public async Task RetentionDeletesTheRowsOfReleasesBeyondTheRollbackOne()
    {
        var world = new RefreshWorld(azurite); // RetainReleases = 1
        foreach (var (id, seed) in new[] { ("v320r0", 1), ("v321r0", 2), ("v322r0", 3) })
        {
            await world.DropAsync(id, RefreshFiles.Small(id, seed));
            await world.Job.RunAsync(new RefreshRequest("timer"), default);
        }
        Assert.Equal(["v322r0"], Active(await world.Catalog.GetActiveAsync(default)));
        Assert.Equal(ReleaseStatus.Retired, (await world.Catalog.GetAsync("v321r0", default))!.Status);
        var deleted = await world.Catalog.GetAsync("v320r0", default);
        Assert.Equal(ReleaseStatus.Deleted, deleted!.Status);
        Assert.Equal(0, (await world.StoredStateAsync("v320r0")).Count);
        Assert.True((await world.StoredStateAsync("v321r0")).Count > 0);
        await Assert.ThrowsAsync<InvalidOperationException>(() => world.Publisher.ActivateAsync("v320r0", replace: true, default));
    }

    [Fact]
    public async Task AReleaseWithOneMalformedRowIsRejectedNamingFileAndLineAndTheOldSetStaysActive()
    {
        var world = new RefreshWorld(azurite);
        await world.DropAsync("v321r0", RefreshFiles.Small("v321r0"));
        await world.Job.RunAsync(new RefreshRequest("timer"), default);
        var (bad, zip, txt) = RefreshFiles.WithBadPtpRow("v322r0", line: 12);
        await world.DropAsync("v322r0", bad);

        var outcome = await world.Job.RunAsync(new RefreshRequest("timer"), default);

        var failed = outcome.Candidates.Single(c => c.Candidate == "v322r0");
        Assert.Equal("failed", failed.Result);
        Assert.Contains($"{zip}/{txt}, line 12", failed.Detail);
        var entry = await world.Catalog.GetAsync("v322r0", default);
        Assert.Equal(ReleaseStatus.Loading, entry!.Status);
        Assert.Contains($"{zip}/{txt}, line 12", entry.LastError);
        Assert.Equal(["v321r0"], Active(await world.Catalog.GetActiveAsync(default)));
        Assert.Equal(0, (await world.StoredStateAsync("v322r0")).Count);
        var status = await world.Job.StatusAsync(default);
        Assert.Equal("failed", status.State);
        Assert.Contains("line 12", status.LastError);

        // The same bad files are not parsed again by the timer; naming the release retries them.
        Assert.Contains("failed before", (await world.Job.RunAsync(new RefreshRequest("timer"), default)).Candidates.Single(c => c.Candidate == "v322r0").Detail);
        Assert.Equal("failed", Assert.Single((await world.Job.RunAsync(new RefreshRequest("admin", "v322r0"), default)).Candidates).Result);
    }

    [Fact]
    public async Task ACrashMidWriteThenARerunEndsInTheSameStoredStateAsAnUninterruptedRun()
    {
        var files = RefreshFiles.Small("v321r0");
        var clean = new RefreshWorld(azurite);
        await clean.DropAsync("v321r0", files);
        var uninterrupted = await clean.Job.RunAsync(new RefreshRequest("timer"), default);
        Assert.Equal("activated", Assert.Single(uninterrupted.Candidates).Result);

        var crashed = new RefreshWorld(azurite);
        await crashed.DropAsync("v321r0", files);
        using var cts = new CancellationTokenSource();
        var batches = 0;
        var crash = new InlineProgress(_ => { if (Interlocked.Increment(ref batches) == 20) cts.Cancel(); });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => crashed.Job.RunAsync(new RefreshRequest("timer", WriteProgress: crash), cts.Token));

        Assert.Equal(ReleaseStatus.Loading, (await crashed.Catalog.GetAsync("v321r0", default))!.Status);
        Assert.Null(await crashed.Catalog.GetActiveAsync(default));
        var stopped = await crashed.Job.StatusAsync(default);
        Assert.Equal("failed", stopped.State);
        Assert.Contains("cancelled during write v321r0", stopped.LastError);
        var partial = await crashed.StoredStateAsync("v321r0");
        Assert.InRange(partial.Count, 1, uninterrupted.Status.EntitiesTotal - 1L);

        var rerun = await crashed.Job.RunAsync(new RefreshRequest("timer"), default);

        Assert.Equal("activated", Assert.Single(rerun.Candidates).Result);
        Assert.True(rerun.EntityWrites < uninterrupted.EntityWrites, $"the rerun resumed: {rerun.EntityWrites} of {uninterrupted.EntityWrites} entities rewritten");
        Assert.Equal(await clean.StoredStateAsync("v321r0"), await crashed.StoredStateAsync("v321r0"));
        Assert.Equal((await clean.Catalog.GetAsync("v321r0", default))!.SnapshotSha256, (await crashed.Catalog.GetAsync("v321r0", default))!.SnapshotSha256);
    }

    [Fact]
    public async Task TwoConcurrentStartsRunOneJob()
    {
        var world = new RefreshWorld(azurite);
        await world.DropAsync("v321r0", RefreshFiles.Small("v321r0"));

        var runs = await Task.WhenAll(world.Job.RunAsync(new RefreshRequest("timer"), default), world.Job.RunAsync(new RefreshRequest("timer"), default));

        Assert.Single(runs, r => r.Started);
        var other = Assert.Single(runs, r => !r.Started);
        Assert.Empty(other.Candidates);
    }

    [Fact]
    public async Task AnAdminStartWhileARunHoldsTheLeaseAnswers409()
    {
        var world = new RefreshWorld(azurite);
        await world.DropAsync("v321r0", RefreshFiles.Small("v321r0"));
        var (started, status, run) = await world.Job.StartAsync(new RefreshRequest("admin"), default);
        Assert.True(started);
        Assert.Equal("running", status.State);

        var second = await world.Functions.Start(new DefaultHttpContext().Request, default);
        await run!;

        Assert.Equal(StatusCodes.Status409Conflict, Assert.IsAssignableFrom<IStatusCodeHttpResult>(second).StatusCode);
        var third = await world.Functions.Start(new DefaultHttpContext().Request, default);
        Assert.Equal(StatusCodes.Status202Accepted, Assert.IsAssignableFrom<IStatusCodeHttpResult>(third).StatusCode);
        for (var i = 0; i < 300 && (await world.Job.StatusAsync(default)).State == "running"; i++) await Task.Delay(100);
        Assert.Equal("succeeded", (await world.Job.StatusAsync(default)).State);
    }

    [Fact]
    public async Task ACrashedJobsLeaseIsTakenOverOnceItExpires()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var world = new RefreshWorld(azurite, clock);
        var row = world.Stores.JobRow;
        var (first, _) = await row.TryAcquireAsync("timer", default);
        Assert.NotNull(first); // and never finished: the host died

        var (blocked, holder) = await row.TryAcquireAsync("admin", default);
        Assert.Null(blocked);
        Assert.Equal(("running", "timer"), (holder.State, holder.Trigger));

        clock.Advance(RefreshJobRow.LeaseDuration + TimeSpan.FromSeconds(1));
        var (takeover, status) = await row.TryAcquireAsync("admin", default);
        Assert.NotNull(takeover);
        Assert.Equal("admin", status.Trigger);
        Assert.Contains("took over from a running job", status.Outcome);
    }

    [Fact]
    public async Task A412OnTheJobRowIsCheckedAgainstTheOwnerBeforeTheRunStops()
    {
        var world = new RefreshWorld(azurite);
        var (lease, _) = await world.Stores.JobRow.TryAcquireAsync("timer", default);
        var table = world.Tables.GetTableClient(world.CatalogTable);

        // Our own write landed but its response was lost (the ETag moved, the owner is still us): the step is written.
        var row = (await table.GetEntityAsync<Azure.Data.Tables.TableEntity>("job", "refresh")).Value;
        row["Step"] = "written by our lost attempt";
        await table.UpdateEntityAsync(row, Azure.ETag.All, Azure.Data.Tables.TableUpdateMode.Replace);
        await lease!.StepAsync("verify", default);
        Assert.Equal("verify", (await world.Job.StatusAsync(default)).Step);

        // Someone else owns the row now: the 412 stands.
        row = (await table.GetEntityAsync<Azure.Data.Tables.TableEntity>("job", "refresh")).Value;
        row["Owner"] = "someone-else";
        await table.UpdateEntityAsync(row, Azure.ETag.All, Azure.Data.Tables.TableUpdateMode.Replace);
        var e = await Assert.ThrowsAsync<Azure.RequestFailedException>(() => lease.StepAsync("snapshot", default));
        Assert.Equal(412, e.Status);
    }
}
