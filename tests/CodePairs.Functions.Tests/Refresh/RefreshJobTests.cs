using CodePairs.Functions.Http;
using CodePairs.Functions.Refresh;
using CodePairs.Functions.Tests.Storage;
using CodePairs.Rules;
using CodePairs.Rules.Cms;
using CodePairs.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Time.Testing;

namespace CodePairs.Functions.Tests.Refresh;

/// <summary>The refresh job end to end on Azurite, with small generated quarters and the genuine CMS files dropped as CMS
/// ships them.</summary>
public sealed class RefreshJobTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static Claim ClaimOn(DateOnly dos, params string[] codes)
        => new(Setting.Practitioner, dos, codes.Select(c => new ClaimLine(HcpcsCode.Parse(c))).ToArray());

    [Fact]
    public async Task TimerRunLoadsVerifiesAndActivatesADroppedQuarterAndTheApiServesIt()
    {
        var world = new RefreshWorld(azurite);
        await world.DropAsync("v321r0", RefreshFiles.Small("v321r0"));

        var outcome = await world.Job.RunAsync(new RefreshRequest("timer"), default);

        Assert.True(outcome.Started);
        var candidate = Assert.Single(outcome.Candidates);
        Assert.Equal(CandidateResult.Activated, candidate.Result);
        Assert.Equal(candidate.RuleSetId, await world.ActiveIdAsync());
        var active = await world.ActiveAsync();
        Assert.Equal(RuleSetStatus.Active, active.Status);
        Assert.Equal(6, active.Tables.Count);
        Assert.NotNull(active.SnapshotSha256);
        // Every file and zip entry is accounted for: the 12 zips, their .TXT/.xlsx/.csv/.txt entries.
        Assert.Equal(6, candidate.Tables.Count);
        Assert.Equal(12, candidate.Files.Count(f => f.Outcome == FileOutcome.Unpacked));
        Assert.Equal(8 + 1 + 3, candidate.Files.Count(f => f.Outcome == FileOutcome.Loaded));
        Assert.Equal(8 + 1 + 3, candidate.Files.Count(f => f.Outcome == FileOutcome.NotLoaded)); // the PTP .xlsx, AOC .txt, MUE .xlsx copies
        foreach (var v in await world.Catalog.ListVersionsAsync(default))
        {
            Assert.Equal(VersionStatus.Verified, v.Status);
            Assert.All(v.Sources, s => Assert.Equal(64, s.Sha256!.Length));
        }

        var status = await world.Job.StatusAsync(default);
        Assert.Equal(RefreshState.Succeeded, status.State);
        Assert.True(status.EntitiesWritten > 0);
        Assert.Null(status.LastError);
        Assert.Equal(CandidateResult.Activated, Assert.Single(status.Candidates).Result);

        // The HTTP API serves it: this worker's set was refreshed after the flip.
        var api = new RuleSetFunctions(world.Catalog, world.Cache, TimeProvider.System);
        var view = Assert.IsType<Ok<ActiveRuleSetView>>((await api.Active(new DefaultHttpContext().Request, default)).Result);
        Assert.Equal(candidate.RuleSetId, view.Value!.ServedByThisWorker);
        Assert.Equal(RefreshState.Succeeded, Assert.IsType<Ok<RefreshStatus>>(await world.Functions.Status(new DefaultHttpContext().Request, default)).Value!.State);

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
        var before = await world.StoredStateAsync();
        var pointer = await world.Catalog.GetActiveAsync(default);

        var again = await world.Job.RunAsync(new RefreshRequest("timer"), default);

        Assert.Equal(CandidateResult.Skipped, Assert.Single(again.Candidates).Result);
        Assert.Equal(0, again.EntityWrites);
        Assert.Equal(before, await world.StoredStateAsync());
        Assert.Equal(pointer!.ETag, (await world.Catalog.GetActiveAsync(default))!.ETag);
    }

    [Fact]
    public async Task AnMueOnlyDropOfTheGenuineFilesKeepsEveryPtpAndAddOnEditOfTheClaim()
    {
        // The scenario: a full quarter active, the claim 61006 + 68895 gets its indicator-1 PTP finding; then the
        // three genuine 2026-10-01 MUE files alone are dropped.
        var world = new RefreshWorld(azurite);
        await world.DropAsync("v322r0", RefreshFiles.Small("v322r0"));
        await world.Job.RunAsync(new RefreshRequest("timer"), default);
        var first = await world.ActiveAsync();
        var october = ClaimOn(new DateOnly(2026, 10, 15), "61006", "68895", "G7128");
        var before = world.Cache.Current!.Validator.Validate(october);
        Assert.Single(before.Findings, f => f.Rule == "ptp.indicator-1");
        Assert.Single(before.Findings, f => f.Rule == "aoc.type-1-no-primary");

        await world.DropAsync("mueq4", RefreshFiles.GenuineMueQ4());
        var outcome = await world.Job.RunAsync(new RefreshRequest("timer"), default);

        var mue = Assert.Single(outcome.Candidates, c => c.Candidate == "mueq4");
        Assert.Equal(CandidateResult.Activated, mue.Result);
        Assert.Equal([(TableId.MuePractitioner, 6), (TableId.MueHospital, 6), (TableId.MueDme, 3)], mue.Tables.Select(t => (t.Table, t.Rows)));
        var next = await world.ActiveAsync();
        Assert.Equal(first.Id, next.Previous);
        // What changed is kept beside the rule set: one summary per new MUE version, against the table's version before it.
        Assert.Equal([TableId.MuePractitioner, TableId.MueHospital, TableId.MueDme], next.Changes.Select(c => c.Table));
        Assert.All(next.Changes, c => Assert.Equal(("2026-07-01", "2026-10-01"), (c.From, c.To)));
        Assert.All(next.Changes, c => Assert.Equal(c.Total, c.Counts.Values.Sum()));
        Assert.True(next.Changes[0].Counts[ChangeKind.Removed] > 400); // the genuine Q4 excerpt holds 6 of the generated codes' 450
        Assert.InRange(next.Changes[0].MostAffected.Count, 1, 50);
        Assert.Equal("(none)", Assert.Single(first.Changes, c => c.Table == TableId.AddOn).From);
        Assert.Equal(9, next.Tables.Count); // 6 carried over + 3 new MUE versions
        Assert.Equal(first.Tables.Where(t => t.Table.Kind() != TableKind.Mue), next.Tables.Where(t => t.Table.Kind() != TableKind.Mue));

        var loaded = world.Cache.Current!;
        Assert.Equal(next.Id, loaded.RuleSetId);
        var after = loaded.Validator.Validate(october);
        Assert.Single(after.Findings, f => f.Rule == "ptp.indicator-1");
        Assert.Single(after.Findings, f => f.Rule == "aoc.type-1-no-primary");
        Assert.Contains(after.TablesUsed, s => s == new RuleSource("mue-practitioner", "2026-10-01", new DateOnly(2026, 10, 1)));
        var august = loaded.Validator.Validate(ClaimOn(new DateOnly(2026, 8, 3), "61006", "68895"));
        Assert.Contains(august.TablesUsed, s => s.Table == "mue-practitioner" && s.Version == "2026-07-01");
        Assert.Single(august.Findings, f => f.Rule == "ptp.indicator-1");
    }

    [Fact]
    public async Task ADropOfOnlyAnUnreadableAddOnWorkbookFailsAndLeavesTheActiveStateUntouched()
    {
        var world = new RefreshWorld(azurite);
        await world.DropAsync("v322r0", RefreshFiles.Small("v322r0"));
        await world.Job.RunAsync(new RefreshRequest("timer"), default);
        var pointer = await world.Catalog.GetActiveAsync(default);
        var before = await world.StoredStateAsync();
        var broken = CodePairs.Tests.Shared.GenuineSamples.Read(CodePairs.Tests.Shared.GenuineSamples.AocWorkbook)[..60_000];
        await world.DropAsync("aoc", new Dictionary<string, byte[]>
        {
            ["add-code-edits-medicare-effective-06012026.zip"] = CodePairs.Tests.Shared.GenuineSamples.Zip(("AOC_V2026Q2-MCR.xlsx", broken)),
        });

        var outcome = await world.Job.RunAsync(new RefreshRequest("timer"), default);

        var failed = Assert.Single(outcome.Candidates, c => c.Candidate == "aoc");
        Assert.Equal(CandidateResult.Failed, failed.Result);
        Assert.Contains("AOC_V2026Q2-MCR.xlsx", failed.Detail);
        Assert.Contains(failed.Files, f => f.Outcome == FileOutcome.Failed && f.File.EndsWith("AOC_V2026Q2-MCR.xlsx", StringComparison.Ordinal));
        Assert.Equal(pointer!.ETag, (await world.Catalog.GetActiveAsync(default))!.ETag);
        Assert.Equal(before, await world.StoredStateAsync());
        Assert.Equal(RefreshState.Failed, (await world.Job.StatusAsync(default)).State);
    }

    [Fact]
    public async Task ADropInWhichNothingIsRecognisedFailsAndNeverBecomesAnEmptyRuleSet()
    {
        var world = new RefreshWorld(azurite);
        await world.DropAsync("junk", new Dictionary<string, byte[]> { ["notes.txt"] = "hello"u8.ToArray() });

        var outcome = await world.Job.RunAsync(new RefreshRequest("timer"), default);

        var failed = Assert.Single(outcome.Candidates);
        Assert.Equal(CandidateResult.Failed, failed.Result);
        Assert.Contains("no CMS PTP, AOC or MUE table was found", failed.Detail);
        Assert.Equal(FileOutcome.Ignored, Assert.Single(failed.Files).Outcome);
        Assert.Null(await world.Catalog.GetActiveAsync(default));
        Assert.Empty(await world.Catalog.ListRuleSetsAsync(default));
    }

    [Fact]
    public async Task ABadDropFolderIsRecordedAndSkippedWhileAGoodOneBesideItLoads()
    {
        var world = new RefreshWorld(azurite);
        await world.DropAsync("a-corrupt", new Dictionary<string, byte[]> { [CmsNames.PtpZip(TableId.PtpPractitioner, "v322r0", 1)] = "not a zip"u8.ToArray() });
        await world.DropAsync("b-good", RefreshFiles.Small("v322r0"));

        var first = await world.Job.RunAsync(new RefreshRequest("timer"), default);

        Assert.Equal([CandidateResult.Failed, CandidateResult.Activated], first.Candidates.Select(c => c.Result));
        Assert.Contains("not a readable zip archive", first.Candidates[0].Detail);
        var second = await world.Job.RunAsync(new RefreshRequest("timer"), default);
        Assert.Contains("failed before", second.Candidates[0].Detail);
        Assert.Equal(CandidateResult.Skipped, second.Candidates[1].Result);
    }

    [Fact]
    public async Task ADropWithFilesInASubfolderFailsNamingThemAndIsReadAgainOnceTheyMove()
    {
        var world = new RefreshWorld(azurite);
        var files = RefreshFiles.Small("v322r0");
        var mue = files.Keys.First(k => k.Contains("practitioner-services-mue", StringComparison.Ordinal));
        // The practitioner MUE zip one level too deep: loading the rest would be a release without that table.
        await world.DropAsync("v322r0", files.Where(f => f.Key != mue).ToDictionary(f => f.Key, f => f.Value));
        await world.DropAsync("v322r0", new Dictionary<string, byte[]> { ["mue/" + mue] = files[mue] });

        var first = await world.Job.RunAsync(new RefreshRequest("timer"), default);

        var failed = Assert.Single(first.Candidates);
        Assert.Equal(CandidateResult.Failed, failed.Result);
        Assert.Contains($"holds 1 blob(s) in subfolders (mue/{mue}), which are never read", failed.Detail);
        Assert.Null(await world.ActiveIdAsync());
        var second = await world.Job.RunAsync(new RefreshRequest("timer"), default);
        Assert.Contains("failed before", Assert.Single(second.Candidates).Detail);

        // Moved up: the drop's content changed, so the timer reads it again, and every table loads.
        var container = world.Blobs.GetBlobContainerClient(world.DropContainer);
        await container.GetBlobClient($"v322r0/mue/{mue}").DeleteAsync();
        await world.DropAsync("v322r0", new Dictionary<string, byte[]> { [mue] = files[mue] });
        var third = await world.Job.RunAsync(new RefreshRequest("timer"), default);

        Assert.Equal(CandidateResult.Activated, Assert.Single(third.Candidates).Result);
        Assert.Contains(third.Candidates[0].Tables, t => t.Table == TableId.MuePractitioner);
    }

    [Fact]
    public async Task ASecondQuarterReplacesTheFirstWhichStaysForRollback()
    {
        var world = new RefreshWorld(azurite, options: new RefreshOptions { RetainRuleSets = 1, VersionsPerTable = 1 });
        await world.DropAsync("v321r0", RefreshFiles.Small("v321r0"));
        await world.Job.RunAsync(new RefreshRequest("timer"), default);
        var first = await world.ActiveIdAsync();
        await world.DropAsync("v322r0", RefreshFiles.Small("v322r0", seed: 2));

        var outcome = await world.Job.RunAsync(new RefreshRequest("timer"), default);

        Assert.Equal([CandidateResult.Skipped, CandidateResult.Activated], outcome.Candidates.Select(c => c.Result));
        var second = await world.ActiveIdAsync();
        Assert.NotEqual(first, second);
        Assert.All((await world.ActiveAsync()).Tables, t => Assert.Equal(new DateOnly(2026, 7, 1), t.EffectiveFrom));
        Assert.Equal(RuleSetStatus.Retired, (await world.Catalog.GetRuleSetAsync(first!, default))!.Status);
        Assert.Equal(second, world.Cache.Current!.RuleSetId);

        // Roll back through the admin function.
        var rolledBack = Assert.IsType<Ok<ActivationView>>((await world.Functions.Activate(new DefaultHttpContext().Request, first!, default)).Result);
        Assert.Equal(first, rolledBack.Value!.Active);
        Assert.Equal(first, await world.ActiveIdAsync());
        Assert.Equal(RuleSetStatus.Retired, (await world.Catalog.GetRuleSetAsync(second!, default))!.Status);
        Assert.Equal(first, world.Cache.Current!.RuleSetId);

        var unknown = (await world.Functions.Activate(new DefaultHttpContext().Request, "rs-000000000000", default)).Result;
        Assert.Equal(StatusCodes.Status404NotFound, Assert.IsAssignableFrom<IStatusCodeHttpResult>(unknown).StatusCode);
        var malformed = (await world.Functions.Activate(new DefaultHttpContext().Request, "../v321r0", default)).Result;
        Assert.Equal(StatusCodes.Status400BadRequest, Assert.IsAssignableFrom<IStatusCodeHttpResult>(malformed).StatusCode);
    }

    [Fact]
    public async Task RetentionDeletesTheRowsOfVersionsOnlyOldRuleSetsName()
    {
        var world = new RefreshWorld(azurite, options: new RefreshOptions { RetainRuleSets = 1, VersionsPerTable = 1 });
        var ids = new List<string>();
        foreach (var (id, seed) in new[] { ("v320r0", 1), ("v321r0", 2), ("v322r0", 3) })
        {
            await world.DropAsync(id, RefreshFiles.Small(id, seed));
            await world.Job.RunAsync(new RefreshRequest("timer"), default);
            ids.Add((await world.ActiveIdAsync())!);
        }
        Assert.Equal(RuleSetStatus.Retired, (await world.Catalog.GetRuleSetAsync(ids[1], default))!.Status);
        var deleted = await world.Catalog.GetRuleSetAsync(ids[0], default);
        Assert.Equal(RuleSetStatus.Deleted, deleted!.Status);
        foreach (var t in deleted.Tables)
        {
            Assert.Equal(VersionStatus.Deleted, (await world.Catalog.GetVersionAsync(t.Table, t.Key, default))!.Status);
            Assert.Equal(0, await world.Storage.Edits.CountRowsAsync(t.Table, t.Key, default));
        }
        Assert.True(await world.Storage.Edits.CountRowsAsync(TableId.PtpPractitioner, (await world.Catalog.GetRuleSetAsync(ids[1], default))!.Tables[0].Key, default) > 0);
        var refused = (await world.Functions.Activate(new DefaultHttpContext().Request, ids[0], default)).Result;
        Assert.Equal(StatusCodes.Status409Conflict, Assert.IsAssignableFrom<IStatusCodeHttpResult>(refused).StatusCode);
    }

    [Fact]
    public async Task ADropWithOneMalformedRowIsRejectedNamingFileAndLineAndTheOldSetStaysActive()
    {
        var world = new RefreshWorld(azurite);
        await world.DropAsync("v321r0", RefreshFiles.Small("v321r0"));
        await world.Job.RunAsync(new RefreshRequest("timer"), default);
        var active = await world.ActiveIdAsync();
        var state = await world.StoredStateAsync();
        var (bad, zip, txt) = RefreshFiles.WithBadPtpRow("v322r0", line: 12);
        await world.DropAsync("v322r0", bad);

        var outcome = await world.Job.RunAsync(new RefreshRequest("timer"), default);

        var failed = outcome.Candidates.Single(c => c.Candidate == "v322r0");
        Assert.Equal(CandidateResult.Failed, failed.Result);
        Assert.Contains($"{zip}/{txt}, line 12", failed.Detail);
        Assert.Contains(failed.Files, f => f.File == $"{zip}/{txt}" && f.Outcome == FileOutcome.Failed && f.Detail.StartsWith("line 12:", StringComparison.Ordinal));
        Assert.Equal(active, await world.ActiveIdAsync());
        Assert.Equal(state, await world.StoredStateAsync());
        var status = await world.Job.StatusAsync(default);
        Assert.Equal(RefreshState.Failed, status.State);
        Assert.Contains("line 12", status.LastError);

        // The same bad files are not read again by the timer; naming the drop retries them.
        Assert.Contains("failed before", (await world.Job.RunAsync(new RefreshRequest("timer"), default)).Candidates.Single(c => c.Candidate == "v322r0").Detail);
        Assert.Equal(CandidateResult.Failed, Assert.Single((await world.Job.RunAsync(new RefreshRequest("admin", "v322r0"), default)).Candidates).Result);
    }

    [Fact]
    public async Task ACrashMidWriteThenARerunEndsInTheSameStoredStateAsAnUninterruptedRun()
    {
        var files = RefreshFiles.Small("v321r0");
        var clean = new RefreshWorld(azurite);
        await clean.DropAsync("v321r0", files);
        var uninterrupted = await clean.Job.RunAsync(new RefreshRequest("timer"), default);
        Assert.Equal(CandidateResult.Activated, Assert.Single(uninterrupted.Candidates).Result);

        var crashed = new RefreshWorld(azurite);
        await crashed.DropAsync("v321r0", files);
        using var cts = new CancellationTokenSource();
        var reports = 0;
        var crash = new InlineProgress<PublishProgress>(p => { if (p.EntitiesWritten > 0 && Interlocked.Increment(ref reports) == 20) cts.Cancel(); });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => crashed.Job.RunAsync(new RefreshRequest("timer", Progress: crash), cts.Token));

        Assert.Null(await crashed.Catalog.GetActiveAsync(default));
        Assert.Contains(await crashed.Catalog.ListVersionsAsync(default), v => v.Status == VersionStatus.Loading);
        var stopped = await crashed.Job.StatusAsync(default);
        Assert.Equal(RefreshState.Failed, stopped.State);
        Assert.Contains("cancelled during", stopped.LastError);
        var partial = await crashed.StoredStateAsync();
        Assert.InRange(partial.Count, 1, (await clean.StoredStateAsync()).Count - 1);

        var rerun = await crashed.Job.RunAsync(new RefreshRequest("timer"), default);

        Assert.Equal(CandidateResult.Activated, Assert.Single(rerun.Candidates).Result);
        Assert.True(rerun.EntityWrites < uninterrupted.EntityWrites, $"the rerun resumed: {rerun.EntityWrites} of {uninterrupted.EntityWrites} entities rewritten");
        Assert.Equal(await clean.StoredStateAsync(), await crashed.StoredStateAsync());
        Assert.Equal(await clean.ActiveIdAsync(), await crashed.ActiveIdAsync());
        Assert.Equal((await clean.ActiveAsync()).SnapshotSha256, (await crashed.ActiveAsync()).SnapshotSha256);
    }

    [Fact]
    public async Task TwoConcurrentStartsRunOneJob()
    {
        var world = new RefreshWorld(azurite);
        await world.DropAsync("v321r0", RefreshFiles.Small("v321r0"));

        var runs = await Task.WhenAll(world.Job.RunAsync(new RefreshRequest("timer"), default), world.Job.RunAsync(new RefreshRequest("timer"), default));

        Assert.Single(runs, r => r.Started);
        Assert.Empty(Assert.Single(runs, r => !r.Started).Candidates);
    }

    [Fact]
    public async Task AnAdminStartWhileARunHoldsTheLeaseAnswers409()
    {
        var world = new RefreshWorld(azurite);
        await world.DropAsync("v321r0", RefreshFiles.Small("v321r0"));
        var (started, status, run) = await world.Job.StartAsync(new RefreshRequest("admin"), default);
        Assert.True(started);
        Assert.Equal(RefreshState.Running, status.State);

        var second = await world.Functions.Start(new DefaultHttpContext().Request, default);
        await run!;

        Assert.Equal(StatusCodes.Status409Conflict, Assert.IsAssignableFrom<IStatusCodeHttpResult>(second).StatusCode);
        var third = await world.Functions.Start(new DefaultHttpContext().Request, default);
        Assert.Equal(StatusCodes.Status202Accepted, Assert.IsAssignableFrom<IStatusCodeHttpResult>(third).StatusCode);
        for (var i = 0; i < 300 && (await world.Job.StatusAsync(default)).State == RefreshState.Running; i++) await Task.Delay(100);
        Assert.Equal(RefreshState.Succeeded, (await world.Job.StatusAsync(default)).State);
    }

    [Theory]
    [InlineData("../rules-snapshots")]
    [InlineData("a/b")]
    [InlineData("..")]
    public async Task AnAdminStartNamingSomethingThatIsNotADropFolderIs400(string drop)
    {
        var world = new RefreshWorld(azurite);
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString($"?drop={Uri.EscapeDataString(drop)}");
        var result = await world.Functions.Start(context.Request, default);
        Assert.Equal(StatusCodes.Status400BadRequest, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
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
        Assert.Equal((RefreshState.Running, "timer"), (holder.State, holder.Trigger));

        clock.Advance(TableRefreshJobRow.LeaseDuration + TimeSpan.FromSeconds(1));
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
        var table = world.Tables.GetTableClient(world.Storage.CatalogTable);

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
