using System.Diagnostics;
using CodePairs.Storage;
using CodePairs.Tests.Shared;
using Xunit.Abstractions;

namespace CodePairs.Cli.Tests;

/// <summary>Run alone: the other classes' CPU-heavy imports would only add noise to the times printed.</summary>
[CollectionDefinition(nameof(SerialFaults), DisableParallelization = true)]
public sealed class SerialFaults;

/// <summary>
/// Issue 11, point 4, for <c>rules publish</c>: the command itself, its Table and Blob clients (the service's retry
/// settings, <see cref="StorageRetry"/>) failing a share of requests through <see cref="FaultInjectionPolicy"/> — 503,
/// 500, 5 s stalls, resets, responses lost after the write — publishes a small generated quarter and then two MUE-only
/// quarters over it, and ends in exactly the state of a fault-free run (<see cref="RuleStoreState"/>: pointer,
/// catalogue, rule sets, content hashes of every table version and snapshot, edit rows). Before issue 11 the CLI used
/// the SDK's 3 retries and failed at 30 %, leaving a half-written release. Times are printed, not asserted.
/// </summary>
[Collection(nameof(SerialFaults))]
public sealed class PublishFaultTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "codepairs-publish-faults-" + Guid.NewGuid().ToString("N"));
    private readonly List<RuleStoreNames> _stores = [];

    public Task InitializeAsync()
    {
        var commands = new Commands(TextWriter.Null, TextWriter.Null);
        Assert.Equal(ExitCodes.Ok, commands.Generate(Path.Combine(_folder, "q3"), "small", 11, 0));
        Assert.Equal(ExitCodes.Ok, commands.Generate(Path.Combine(_folder, "q4"), "small", 12, 0, "v323r0", "mue"));
        Assert.Equal(ExitCodes.Ok, commands.Generate(Path.Combine(_folder, "q1"), "small", 13, 0, "v330r0", "mue"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
        foreach (var names in _stores) await PublishStores.DeleteAsync(names);
    }

    [Theory]
    [InlineData(0.10, 21)]
    [InlineData(0.30, 23)]
    public async Task PublishesUnderStorageFaultsEndInTheStateOfAFaultFreeRun(double rate, int seed)
    {
        var (clean, t0) = await PublishAllAsync(null);
        var faults = new FaultInjectionPolicy(rate, seed);
        var (faulty, t) = await PublishAllAsync(faults);

        output.WriteLine($"fault-free {t0.TotalSeconds:N2} s; {rate:P0} {t.TotalSeconds:N2} s ({t / t0:N1}×): {faults.Requests} requests, {faults.InjectedTotal} faults " +
                         $"({string.Join(", ", faults.Injected.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}"))})");
        output.WriteLine($"fault-free: {clean.Summary}");
        output.WriteLine($"{rate:P0}: {faulty.Summary}");
        Assert.True(faults.Injected.Count >= 3, "several kinds of fault were injected");
        Assert.True(clean.Equals(faulty), clean.Diff(faulty));
        Assert.Contains("checkpoints 0", clean.Lines);
        Assert.Equal(3, clean.Lines.Count(l => l.StartsWith("ruleset", StringComparison.Ordinal)));
    }

    /// <summary>The three quarters published in turn by <c>rules publish</c> into a store of their own.</summary>
    private async Task<(RuleStoreState State, TimeSpan Elapsed)> PublishAllAsync(FaultInjectionPolicy? faults)
    {
        var names = PublishStores.NewNames();
        _stores.Add(names);
        var err = new StringWriter();
        var command = new PublishCommand(new Commands(TextWriter.Null, err), TextWriter.Null, err)
        {
            ConfigureClients = faults is null ? null : o => FaultInjectionPolicy.Install(o, faults),
        };
        var clock = Stopwatch.StartNew();
        foreach (var quarter in new[] { "q3", "q4", "q1" })
        {
            var code = await Task.Run(() => command.Run([Path.Combine(_folder, quarter)], PublishStores.Connection, activate: true, versionsPerTable: 1, names: names));
            Assert.True(code == ExitCodes.Ok, $"{quarter}: exit {code}: {err}");
        }
        var elapsed = clock.Elapsed;
        return (await RuleStoreState.ReadAsync(PublishStores.Tables, PublishStores.Blobs, names), elapsed);
    }
}
