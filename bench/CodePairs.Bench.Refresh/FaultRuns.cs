using CodePairs.Storage;
using CodePairs.Tests.Shared;

/// <summary>
/// Issue 11, point 4, at scale: <c>faults [--scale full|small] [--rates 0.1,0.3] [--seed 11] [--what publish,refresh]</c>
/// runs each scenario (<see cref="Scenario"/>) fault-free, then with the storage clients failing each share of requests
/// (<see cref="FaultInjectionPolicy"/>: 503, 500, 5 s stalls, resets, responses lost after the write), then fault-free
/// again, and compares every run's final rule store (<see cref="RuleStoreState"/>) with the first. Prints the times
/// (against the mean of the two fault-free runs) and the faults injected; exits 1 if a state differs.
/// </summary>
internal static class FaultRuns
{
    public static async Task<int> RunAsync(string[] args)
    {
        var scale = Value(args, "--scale") ?? "full";
        var rates = (Value(args, "--rates") ?? "0.1,0.3").Split(',').Select(r => double.Parse(r, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var seed = int.Parse(Value(args, "--seed") ?? "11", System.Globalization.CultureInfo.InvariantCulture);
        var what = (Value(args, "--what") ?? "publish,refresh").Split(',');
        Scenario.Files(scale); // generate before timing anything
        Console.WriteLine($"storage retries: {StorageRetry.MaxRetries} from {StorageRetry.FirstDelay.TotalMilliseconds} ms (max {StorageRetry.MaxDelay.TotalSeconds} s), " +
                          $"network timeout {StorageRetry.NetworkTimeout.TotalSeconds} s, blob blocks {StorageRetry.BlockBytes / 1048576} MiB; scale {scale}");
        var status = 0;
        var run = 0;
        foreach (var scenario in what)
        {
            async Task<(RuleStoreState State, TimeSpan Time)> Once(FaultInjectionPolicy? faults)
            {
                var s = new Scenario($"f{DateTime.UtcNow:HHmmss}{run++}", scale);
                try
                {
                    using var _ = new Reporter(s.Slow, faults);
                    var time = scenario switch
                    {
                        "publish" => await Task.Run(() => s.Publish(faults)),
                        "refresh" => await s.RefreshAsync(faults),
                        _ => throw new ArgumentException($"--what: '{scenario}' is not publish or refresh"),
                    };
                    return (await s.StateAsync(), time);
                }
                finally
                {
                    await s.CleanAsync();
                }
            }

            var (reference, before) = await Once(null);
            Console.WriteLine($"{scenario,-8} fault-free: {before.TotalSeconds,6:F1} s  {reference.Summary}");
            var results = new List<(double Rate, TimeSpan Time, FaultInjectionPolicy Faults, RuleStoreState State)>();
            foreach (var rate in rates)
            {
                var faults = new FaultInjectionPolicy(rate, seed);
                try
                {
                    var (state, time) = await Once(faults);
                    results.Add((rate, time, faults, state));
                }
                catch (Exception e)
                {
                    Console.WriteLine($"{scenario,-8} {rate,4:P0}: FAILED after {faults.Requests:N0} requests, {faults.InjectedTotal:N0} faults: {e.GetType().Name}: {e.Message}");
                    status = 1;
                }
            }
            var (again, after) = await Once(null);
            var mean = (before + after) / 2;
            Console.WriteLine($"{scenario,-8} fault-free: {after.TotalSeconds,6:F1} s  {(again.Equals(reference) ? "identical" : "DIFFERENT")} (mean of the two: {mean.TotalSeconds:F1} s)");
            if (!again.Equals(reference)) status = 1;
            foreach (var (rate, time, faults, state) in results)
            {
                var same = state.Equals(reference);
                if (!same) status = 1;
                Console.WriteLine($"{scenario,-8} {rate,10:P0}: {time.TotalSeconds,6:F1} s ({time / mean:F1}×)  {(same ? "identical" : "DIFFERENT")}; " +
                                  $"{faults.InjectedTotal:N0} faults of {faults.Requests:N0} requests ({string.Join(", ", faults.Injected.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}"))})");
                if (!same) Console.WriteLine(reference.Diff(state));
            }
        }
        return status;
    }

    /// <summary>Prints the slow tries of a run when it ends (verbose: <c>CODEPAIRS_BENCH_SLOW=1</c> lists them).</summary>
    private sealed class Reporter(SlowTries slow, FaultInjectionPolicy? faults) : IDisposable
    {
        public void Dispose()
        {
            var stalls = faults?.Injected.GetValueOrDefault(StorageFault.Stall) ?? 0;
            Console.Error.WriteLine($"  tries over 1.5 s: {slow.Seen.Count} (injected stalls: {stalls})");
            if (Environment.GetEnvironmentVariable("CODEPAIRS_BENCH_SLOW") == "1")
                foreach (var line in slow.Seen) Console.Error.WriteLine("    " + line);
        }
    }

    private static string? Value(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
