using CodePairs.Functions.Http;
using CodePairs.Functions.RuleSets;
using CodePairs.Functions.Tests.Storage;
using CodePairs.Rules;
using CodePairs.Rules.Tests;
using CodePairs.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static CodePairs.Functions.Tests.Http.HttpTestKit;

namespace CodePairs.Functions.Tests.RuleSets;

/// <summary>The worker's start on a real Azurite: the active rule set loads in the background from the start, health
/// says loading then the set, and requests during the load wait for that one load (bounded) instead of their own.</summary>
public sealed class RuleSetWarmupTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Claim = """{"setting":"practitioner","dateOfService":"2026-08-03","lines":[{"code":"62323"},{"code":"77003"}]}""";

    /// <summary>The real storage source, held at the door of its first load until the test opens it, and counted.</summary>
    private sealed class HeldSource(IRuleSetSource inner) : IRuleSetSource
    {
        public readonly TaskCompletionSource Open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int PointerReads, Loads;

        public async Task<string?> GetActiveRuleSetIdAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref PointerReads);
            return await inner.GetActiveRuleSetIdAsync(cancellationToken);
        }

        public async Task<RuleSet> LoadAsync(string ruleSetId, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Loads);
            await Open.Task.WaitAsync(cancellationToken);
            return await inner.LoadAsync(ruleSetId, cancellationToken);
        }
    }

    private async Task<(StorageStack Stack, HeldSource Source, RuleSetCache Cache, string RuleSetId)> StartingWorker(bool publish = true, double waitSeconds = 10)
    {
        var stack = new StorageStack(azurite);
        var id = publish ? (await stack.Publisher.PublishAsync(TestRules.Set.Value, "test")).RuleSetId : "";
        var source = new HeldSource(new StorageRuleSetSource(stack.Catalog, new RuleSetLoader(stack.Snapshots)));
        var cache = new RuleSetCache(source, Options.Create(new RulesOptions { LoadWaitSeconds = waitSeconds }), TimeProvider.System, NullLogger<RuleSetCache>.Instance);
        return (stack, source, cache, id);
    }

    private static async Task<string> HealthStatus(RuleSetCache cache)
    {
        var request = Request("GET");
        var (_, body, _) = await Execute(new HealthFunction(cache).Run(request), request);
        return body.GetProperty("ruleSetStatus").GetString()!;
    }

    private static async Task<int> Validate(RuleSetCache cache)
    {
        var request = Request("POST", Claim);
        var (status, _, _) = await Execute(await new ClaimFunctions(cache, Api(), NullLogger<ClaimFunctions>.Instance).Validate(request, default), request);
        return status;
    }

    [Fact]
    public async Task TheWorkerLoadsTheActiveSetFromItsStartAndHealthSaysLoadingThenTheSet()
    {
        var (_, source, cache, id) = await StartingWorker();
        Assert.Equal("unavailable", await HealthStatus(cache));

        await new RuleSetWarmup(cache).StartAsync(default);
        Assert.Equal("loading", await HealthStatus(cache));
        source.Open.SetResult();
        await cache.WarmUpAsync();

        var request = Request("GET");
        var (_, health, _) = await Execute(new HealthFunction(cache).Run(request), request);
        Assert.Equal(("loaded", true, id), (health.GetProperty("ruleSetStatus").GetString(), health.GetProperty("ruleSetLoaded").GetBoolean(), health.GetProperty("ruleSet").GetString()));
        Assert.Equal(200, await Validate(cache));
        Assert.Equal(1, source.Loads); // the request found it loaded: no load of its own
    }

    [Fact]
    public async Task RequestsDuringTheLoadWaitForItRatherThanRacingASecondLoad()
    {
        var (_, source, cache, _) = await StartingWorker();
        await new RuleSetWarmup(cache).StartAsync(default);
        var requests = Enumerable.Range(0, 8).Select(_ => Validate(cache)).ToArray();
        await Task.Delay(300);
        Assert.All(requests, r => Assert.False(r.IsCompleted));

        source.Open.SetResult();
        Assert.All(await Task.WhenAll(requests), status => Assert.Equal(200, status));
        Assert.Equal(1, source.Loads);
        Assert.Equal(1, source.PointerReads);
    }

    [Fact]
    public async Task ARequestThatWouldWaitPastTheBoundGets503WithRetryAfterAndTheLoadGoesOn()
    {
        var (_, source, cache, _) = await StartingWorker(waitSeconds: 0.3);
        await new RuleSetWarmup(cache).StartAsync(default);

        var request = Request("POST", Claim);
        var (status, _, headers) = await Execute(await new ClaimFunctions(cache, Api(), NullLogger<ClaimFunctions>.Instance).Validate(request, default), request);
        Assert.Equal(503, status);
        Assert.Equal("30", headers.RetryAfter.ToString());
        Assert.Equal("loading", await HealthStatus(cache));

        source.Open.SetResult();
        await cache.WarmUpAsync();
        Assert.Equal(200, await Validate(cache));
        Assert.Equal(1, source.Loads);
    }

    [Fact]
    public async Task WithNoActiveRuleSetTheStartEndsUnavailableAndRequestsAre503()
    {
        var (_, source, cache, _) = await StartingWorker(publish: false);
        await new RuleSetWarmup(cache).StartAsync(default);
        await cache.WarmUpAsync();
        Assert.Equal("unavailable", await HealthStatus(cache));
        Assert.Equal(503, await Validate(cache));
        Assert.Equal(0, source.Loads);
    }
}
