using System.Diagnostics;
using CodePairs.Functions.Refresh;
using CodePairs.Functions.Tests.Batches;
using CodePairs.Functions.Tests.Storage;
using CodePairs.Storage;
using CodePairs.Tests.Shared;
using Xunit.Abstractions;

namespace CodePairs.Functions.Tests.Refresh;

/// <summary>
/// Issue 11, point 4, for the refresh: the job's Table and Blob clients — the service's retry settings
/// (<see cref="StorageRetry"/>, through <see cref="StorageSettings"/>) with <see cref="FaultInjectionPolicy"/> before
/// the transport — fail a share of requests with 503, 500, 5 s stalls, resets and responses lost after the write, and
/// three refreshes (a full quarter, then two MUE-only drops: composition over the active rule set, retirement, retention
/// deleting rows) end in exactly the state a fault-free run leaves (<see cref="RuleStoreState"/>). Times are printed,
/// not asserted (a shared 2-core CI machine); the ≤ 3× figure is the bench's (docs/operations.md).
/// </summary>
[Collection(nameof(SerialTimings))]
public sealed class RefreshFaultTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>
{
    private static readonly StorageSettings Azurite = new(StorageNames.Connection, AzuriteFixture.ConnectionString, null, null, null, null, null);

    private static readonly (string Drop, IReadOnlyDictionary<string, byte[]> Files)[] Drops =
    [
        ("v321r0", RefreshFiles.Small("v321r0")),
        ("mueq4", RefreshFiles.SmallMue("v322r0", seed: 2)),
        ("mueq1", RefreshFiles.SmallMue("v323r0", seed: 3)),
    ];

    /// <summary>At 10 % the three drops (retention deleting rows included); at 30 % the first two, to keep CI's time in
    /// bounds (each stall costs the 2 s network timeout, and 3 % of requests stall at 30 %).</summary>
    [Theory]
    [InlineData(0.10, 11, 3)]
    [InlineData(0.30, 13, 2)]
    public async Task RefreshesUnderStorageFaultsEndInTheStateOfAFaultFreeRun(double rate, int seed, int drops)
    {
        var (clean, t0, _) = await RunAsync(null, drops);
        var faults = new FaultInjectionPolicy(rate, seed);
        RuleStoreState faulty;
        TimeSpan t;
        List<CandidateResult> outcomes;
        try
        {
            (faulty, t, outcomes) = await RunAsync(faults, drops);
        }
        finally
        {
            // Requests let through that storage was slow to answer (or never did): printed, so a run that fails on
            // timeouts says whether Azurite stopped answering or this process could not run its continuations.
            output.WriteLine($"{faults.Slow.Count} requests let through took over {faults.SlowAfter.TotalSeconds:N0} s or got no response" +
                             (faults.Slow.Count == 0 ? "" : ":\n  " + string.Join("\n  ", faults.Slow)));
        }

        output.WriteLine($"fault-free {t0.TotalSeconds:N2} s; {rate:P0} {t.TotalSeconds:N2} s ({t / t0:N1}×): {faults.Requests} requests, {faults.InjectedTotal} faults " +
                         $"({string.Join(", ", faults.Injected.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}"))})");
        output.WriteLine($"fault-free: {clean.Summary}");
        output.WriteLine($"{rate:P0}: {faulty.Summary}");
        Assert.Equal(Enumerable.Repeat(CandidateResult.Activated, drops), outcomes);
        Assert.True(faults.Injected.Count >= 3, "several kinds of fault were injected");
        Assert.True(clean.Equals(faulty), clean.Diff(faulty));
        Assert.Contains("checkpoints 0", clean.Lines);
        if (drops < 3) return;
        Assert.Contains(clean.Lines, l => l.StartsWith("ruleset", StringComparison.Ordinal) && l.Contains("status=Deleted", StringComparison.Ordinal));
        Assert.Contains(clean.Lines, l => l.StartsWith("version", StringComparison.Ordinal) && l.Contains("status=Deleted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StorageThatKeepsFailingFailsTheDropForThisRunOnlyAndTheNextRunLoadsIt()
    {
        // Every table transaction (the row writes) fails with 503 (one retry: the classification is the point, not the backoff).
        var faults = new FaultInjectionPolicy(1.0, kinds: [(StorageFault.ServerBusy, 1)])
        {
            Applies = m => m.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal),
        };
        var failing = new RefreshWorld(azurite,
            jobTables: Azurite.CreateTableServiceClient(o => { o.Retry.MaxRetries = 1; FaultInjectionPolicy.Install(o, faults); }));
        await failing.DropAsync("v321r0", RefreshFiles.Small("v321r0"));

        var first = Assert.Single((await failing.Job.RunAsync(new RefreshRequest("timer"), default)).Candidates);
        Assert.Equal(CandidateResult.Failed, first.Result);
        Assert.StartsWith("storage failed past its retries (the next run tries again)", first.Detail, StringComparison.Ordinal);
        Assert.Null(await failing.Catalog.GetActiveAsync(default));

        // The same store with storage back: the timer run does not skip the drop as "failed before", it loads it.
        faults.Rate = 0;
        var second = Assert.Single((await failing.Job.RunAsync(new RefreshRequest("timer"), default)).Candidates);
        Assert.True(second.Result == CandidateResult.Activated, $"{second.Result}: {second.Detail}");
    }

    /// <summary>The drops, each refreshed in turn by a timer run limited to it (a drop whose rule set retention deleted
    /// would otherwise be read again by the next run), the job on clients that fail as <paramref name="faults"/> says.</summary>
    private async Task<(RuleStoreState State, TimeSpan Elapsed, List<CandidateResult> Outcomes)> RunAsync(FaultInjectionPolicy? faults, int drops)
    {
        // One version per table in a rule set and one retired set kept: the third drop retires the first rule set and
        // retention deletes the rows of the MUE versions only it named.
        var world = new RefreshWorld(azurite, options: new RefreshOptions { RetainRuleSets = 1, VersionsPerTable = 1 },
            jobTables: Azurite.CreateTableServiceClient(o => { if (faults is not null) FaultInjectionPolicy.Install(o, faults); }),
            jobBlobs: Azurite.CreateBlobServiceClient(o => { if (faults is not null) FaultInjectionPolicy.Install(o, faults); }));
        var outcomes = new List<CandidateResult>();
        var clock = new Stopwatch();
        foreach (var (drop, files) in Drops.Take(drops))
        {
            await world.DropAsync(drop, files);
            clock.Start();
            var outcome = await world.Job.RunAsync(new RefreshRequest("timer", drop), default);
            clock.Stop();
            var mine = Assert.Single(outcome.Candidates, c => c.Candidate == drop);
            Assert.True(mine.Result == CandidateResult.Activated, $"{drop}: {mine.Result}: {mine.Detail}");
            outcomes.Add(mine.Result);
        }
        return (await world.StateAsync(), clock.Elapsed, outcomes);
    }
}
