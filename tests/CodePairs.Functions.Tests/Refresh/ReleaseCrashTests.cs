using CodePairs.Functions.Refresh;
using CodePairs.Functions.Tests.Storage;
using CodePairs.Rules;
using CodePairs.Rules.Generation;
using CodePairs.Storage;
using CodePairs.Tests.Shared;

namespace CodePairs.Functions.Tests.Refresh;

/// <summary>
/// The kill -9 checks of scripts/chaos.sh (issue 11, point 5), in process for CI: the release protocol and the refresh
/// job stop at each named crash point (an exception in place of the kill) and a rerun ends in exactly the rule store an
/// uninterrupted run leaves (<see cref="RuleStoreState"/>). Two steps, as in the chaos harness: a small full quarter,
/// then an MUE-only quarter that retires the first rule set (retention deletes the rows only it named). The rerun is
/// of the step that died (the operator reruns the command that failed; the steps before it had finished).
/// </summary>
public sealed class ReleaseCrashTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private sealed class Crash(string point) : OperationCanceledException($"crashed at {point}");

    private static readonly RuleSet Full = ReleaseGenerator.Build(GeneratorOptions.Small(5) with { ReleaseId = "v322r0" }).Build();
    private static readonly RuleSet Mue = ReleaseGenerator.Build(GeneratorOptions.Small(6) with
        { ReleaseId = "v323r0", Tables = [TableId.MuePractitioner, TableId.MueHospital, TableId.MueDme] }).Build();
    private static readonly PublishOptions Options = new() { VersionsPerTable = 1, RetainRuleSets = 0 };

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static RuleStoreState? _publishReference;
    private static RuleStoreState? _refreshReference;

    public static TheoryData<string, int> PublishPoints()
    {
        var data = new TheoryData<string, int>();
        foreach (var point in RulePublisher.CrashPoints) { data.Add(point, 1); data.Add(point, 2); }
        return data;
    }

    [Theory]
    [MemberData(nameof(PublishPoints))]
    public async Task APublishStoppedAtACrashPointThenRunAgainEndsAsAnUninterruptedOne(string point, int step)
    {
        var reference = await PublishReferenceAsync();
        var stack = new StorageStack(azurite, packs: []);
        var current = 0;
        stack.Publisher.AtPoint = p => { if (p == point && current == step) throw new Crash(p); };

        var crashed = false;
        foreach (var (drop, n) in new[] { (Full, 1), (Mue, 2) })
        {
            current = n;
            try { await stack.Publisher.PublishAsync(drop, $"step {n}", Options); }
            catch (Crash) { crashed = true; break; }
        }
        Assert.True(crashed, $"{point}@{step} was reached");
        stack.Publisher.AtPoint = null;
        await PublishFromAsync(stack, step);

        var state = await RuleStoreState.ReadAsync(azurite.Tables, azurite.Blobs, stack.Names);
        Assert.True(reference.Equals(state), reference.Diff(state));
    }

    public static TheoryData<string, int> RefreshPoints() => new()
    {
        { "fetched", 1 }, { "rows-partial", 1 }, { "version-verified", 1 }, { "published", 1 }, { "recorded", 1 },
        { "composed", 2 }, { "flipped", 2 }, { "published", 2 },
    };

    [Theory]
    [MemberData(nameof(RefreshPoints))]
    public async Task ARefreshStoppedAtACrashPointThenRunAgainEndsAsAnUninterruptedOne(string point, int step)
    {
        var reference = await RefreshReferenceAsync();
        var world = NewWorld();
        var current = 0;
        void Hook(string p) { if (p == point && current == step) throw new Crash(p); }
        world.Job.AtPoint = Hook;
        world.Publisher.AtPoint = Hook;

        await Assert.ThrowsAsync<Crash>(async () =>
        {
            foreach (var (drop, n) in new[] { ("v322r0", 1), ("mueq4", 2) })
            {
                current = n;
                await world.DropAsync(drop, Drops[drop]);
                await world.Job.RunAsync(new RefreshRequest("timer", drop), default);
            }
        });
        world.Job.AtPoint = null;
        world.Publisher.AtPoint = null;
        await RefreshFromAsync(world, step);

        var state = await world.StateAsync();
        Assert.True(reference.Equals(state), reference.Diff(state));
    }

    private static readonly Dictionary<string, IReadOnlyDictionary<string, byte[]>> Drops = new()
    {
        ["v322r0"] = RefreshFiles.Small("v322r0", seed: 5),
        ["mueq4"] = RefreshFiles.SmallMue("v323r0", seed: 6),
    };

    private RefreshWorld NewWorld() => new(azurite, options: new RefreshOptions { VersionsPerTable = 1, RetainRuleSets = 0 });

    private static async Task PublishFromAsync(StorageStack stack, int step = 1)
    {
        if (step <= 1) await stack.Publisher.PublishAsync(Full, "step 1", Options);
        await stack.Publisher.PublishAsync(Mue, "step 2", Options);
    }

    private static async Task RefreshFromAsync(RefreshWorld world, int step = 1)
    {
        foreach (var drop in new[] { "v322r0", "mueq4" }.Skip(step - 1))
        {
            await world.DropAsync(drop, Drops[drop]);
            var outcome = await world.Job.RunAsync(new RefreshRequest("timer", drop), default);
            Assert.Contains(Assert.Single(outcome.Candidates).Result, new[] { CandidateResult.Activated, CandidateResult.Unchanged, CandidateResult.Skipped });
        }
    }

    private async Task<RuleStoreState> PublishReferenceAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_publishReference is null)
            {
                var stack = new StorageStack(azurite, packs: []);
                await PublishFromAsync(stack);
                _publishReference = await RuleStoreState.ReadAsync(azurite.Tables, azurite.Blobs, stack.Names);
                Assert.Contains(_publishReference.Lines, l => l.StartsWith("version", StringComparison.Ordinal) && l.Contains("status=Deleted", StringComparison.Ordinal));
            }
            return _publishReference;
        }
        finally
        {
            Gate.Release();
        }
    }

    private async Task<RuleStoreState> RefreshReferenceAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_refreshReference is null)
            {
                var world = NewWorld();
                await RefreshFromAsync(world);
                _refreshReference = await world.StateAsync();
            }
            return _refreshReference;
        }
        finally
        {
            Gate.Release();
        }
    }
}
