using System.Diagnostics;
using CodePairs.Functions.Refresh;
using CodePairs.Storage;

/// <summary>
/// The publish and refresh half of the kill -9 / rerun checks (issue 11, point 5; driven by scripts/chaos.sh):
/// <c>chaos publish|refresh run --tag T [--scale full|small] [--kill-at POINT@STEP]</c> runs the two steps of
/// <see cref="Scenario"/> and, with --kill-at, SIGKILLs its own process the moment step STEP reaches POINT (one of
/// <see cref="RulePublisher.CrashPoints"/> or, for the refresh, <see cref="RefreshJob.CrashPoints"/>). Run again with the
/// same tag, it is the operator's rerun of <c>rules publish</c>, or the next timer run (once the dead run's lease has
/// expired): same store, same files, from the step that died. It prints one OUTCOME line (the rule store's state and its hash) to compare with an
/// uninterrupted run's. <c>chaos clean --tag T</c> deletes the tag's tables and containers.
/// </summary>
internal static class ChaosRuns
{
    public static async Task<int> RunAsync(string[] args)
    {
        var tag = Value(args, "--tag") ?? throw new ArgumentException("--tag is required");
        var scenario = new Scenario(tag, Value(args, "--scale") ?? "full") { Resumable = true };
        if (args.Contains("clean"))
        {
            await scenario.CleanAsync();
            return 0;
        }
        var what = args.FirstOrDefault() ?? throw new ArgumentException("chaos publish|refresh run|clean --tag T");
        var killAt = Value(args, "--kill-at");
        var (point, step) = killAt is null ? (null, 0) : killAt.Split('@') is [var p, var s] ? (p, int.Parse(s, System.Globalization.CultureInfo.InvariantCulture)) : (killAt, 1);
        var known = what == "refresh" ? RulePublisher.CrashPoints.Concat(RefreshJob.CrashPoints) : RulePublisher.CrashPoints;
        if (point is not null && !known.Contains(point)) throw new ArgumentException($"--kill-at: '{point}' is none of {string.Join(", ", known)}");

        void AtPoint(string reached)
        {
            if (reached != point || scenario.Step != step) return;
            Console.WriteLine($"KILLED at {reached}@{step}");
            Console.Out.Flush();
            Process.GetCurrentProcess().Kill(); // SIGKILL: no finally, no flush, no dispose
        }

        var clock = Stopwatch.StartNew();
        if (what == "publish") await Task.Run(() => scenario.Publish(null, AtPoint));
        else if (what == "refresh") await scenario.RefreshAsync(null, AtPoint);
        else throw new ArgumentException($"'{what}' is not publish or refresh");
        var state = await scenario.StateAsync();
        Console.WriteLine($"OUTCOME {state.Summary}");
        Console.Error.WriteLine($"ran in {clock.Elapsed.TotalSeconds:N1} s");
        return 0;
    }

    private static string? Value(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
