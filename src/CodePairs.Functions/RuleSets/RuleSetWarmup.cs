using Microsoft.Extensions.Hosting;

namespace CodePairs.Functions.RuleSets;

/// <summary>Starts loading the active rule set as soon as the worker starts, without holding up its start: the first
/// request then finds it loaded, or waits for that same load instead of paying for its own.</summary>
public sealed class RuleSetWarmup(RuleSetCache cache) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = cache.WarmUpAsync();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
