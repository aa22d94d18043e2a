// Mutation fuzzing of every parser, on demand (not in CI):
//   dotnet run -c Release --project bench/CodePairs.Fuzz -- [--seconds 60 | --executions 10000000] [--targets ptp-text,mue-csv] [--seed 1] [--out /tmp/fuzz]
//   dotnet run -c Release --project bench/CodePairs.Fuzz -- --replay /tmp/fuzz/aoc-workbook-slow-1.bin --targets aoc-workbook   (time a saved input)
// Each target is a parser with seed inputs in its real format and the exception types it documents. Inputs are seeds
// (or earlier inputs that parsed) mutated by bit flips, interesting bytes, insertions, deletions, duplications,
// truncations and splices. Any other exception, or an input taking over 2 s, is a finding: the input is saved under
// --out and the run exits 1. Prints executions, executions/s and the documented errors seen per target.
using System.Diagnostics;
using CodePairs.Fuzz;

var seconds = Arg("--seconds", 0L);
var executions = Arg("--executions", seconds == 0 ? 1_000_000L : long.MaxValue);
var seed = (int)Arg("--seed", 1L);
var only = Text("--targets")?.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
var outDir = Text("--out") ?? Path.Combine(Path.GetTempPath(), "codepairs-fuzz");
Directory.CreateDirectory(outDir);

if (Text("--replay") is { } replay)
{
    // A saved finding (the bytes the parser got, after any Prepare) through its target, timed, three times.
    var target = Targets.All().Single(t => only is not null && only.Contains(t.Name));
    var bytes = File.ReadAllBytes(replay);
    for (var i = 0; i < 3; i++)
    {
        var t = Stopwatch.StartNew();
        string outcome;
        try { target.Run(bytes); outcome = "parsed"; }
        catch (Exception e) { outcome = (target.Documented(e) ? "documented " : "UNDOCUMENTED ") + e.GetType().Name + ": " + e.Message.Split('\n')[0]; }
        Console.WriteLine($"{target.Name} {Path.GetFileName(replay)} ({bytes.Length:N0} bytes): {t.Elapsed.TotalMilliseconds:N0} ms, {outcome}");
    }
    return 0;
}

var findings = 0;
foreach (var target in Targets.All().Where(t => only is null || only.Contains(t.Name)))
{
    var random = new Random(seed);
    var pool = new List<byte[]>(target.Seeds);
    var clock = Stopwatch.StartNew();
    long runs = 0, documented = 0, slowest = 0, slowNotReproduced = 0;
    var errors = new Dictionary<string, int>();
    // Inputs that parsed join the pool only while small (4× the largest seed, at least 64 KiB): otherwise duplications
    // grow the pool toward the 1 MiB mutation cap and a long run slows to a crawl on ever larger inputs.
    var poolCap = Math.Max(64 * 1024, 4 * target.Seeds.Max(s => s.Length));
    var lastReport = clock.Elapsed;
    while (runs < executions && (seconds == 0 || clock.Elapsed.TotalSeconds < seconds))
    {
        var input = Mutator.Mutate(random, pool[random.Next(pool.Count)], pool[random.Next(pool.Count)]);
        var actual = target.Prepare?.Invoke(input) ?? input;
        var t = Stopwatch.GetTimestamp();
        try
        {
            target.Run(actual);
            if (input.Length <= poolCap) { if (pool.Count < 256) pool.Add(input); else pool[random.Next(pool.Count)] = input; }
        }
        catch (Exception e) when (target.Documented(e))
        {
            documented++;
            var key = e.GetType().Name;
            errors[key] = errors.GetValueOrDefault(key) + 1;
        }
        catch (Exception e)
        {
            findings++;
            var file = Path.Combine(outDir, $"{target.Name}-{runs}.bin");
            File.WriteAllBytes(file, actual);
            Console.WriteLine($"FINDING {target.Name}: {e.GetType().FullName}: {e.Message.Split('\n')[0]} (input saved to {file})");
            if (findings > 20) break;
        }
        var ms = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
        // Wall time: a process starved of CPU (or stopped) sees any input as slow, so a slow input is timed again
        // before it counts; one that is fast the second time is reported as not reproduced, not as a finding.
        if (ms > 2000)
        {
            var again = Retime(target, actual);
            if (again > 2000)
            {
                findings++;
                var file = Path.Combine(outDir, $"{target.Name}-slow-{runs}.bin");
                File.WriteAllBytes(file, actual);
                Console.WriteLine($"FINDING {target.Name}: an input took {ms:N0} ms, and {again:N0} ms again (saved to {file})");
            }
            else
            {
                slowNotReproduced++;
                Console.WriteLine($"  {target.Name}: an input took {ms:N0} ms but {again:N0} ms when timed again (machine load, not the input)");
                ms = again;
            }
        }
        if (ms > slowest) slowest = (long)ms;
        runs++;
        if (clock.Elapsed - lastReport > TimeSpan.FromMinutes(1))
        {
            lastReport = clock.Elapsed;
            Console.WriteLine($"  {target.Name}: {runs:N0} executions, {runs / clock.Elapsed.TotalSeconds:N0}/s");
        }
    }
    Console.WriteLine($"{target.Name}: {runs:N0} executions in {clock.Elapsed.TotalSeconds:N0} s ({runs / clock.Elapsed.TotalSeconds:N0}/s), " +
                      $"{documented:N0} documented errors ({string.Join(", ", errors.Select(e => $"{e.Key} {e.Value:N0}"))}), slowest input {slowest:N0} ms" +
                      (slowNotReproduced > 0 ? $" ({slowNotReproduced:N0} over 2 s that were not when timed again)" : ""));
}
Console.WriteLine(findings == 0 ? "no findings" : $"{findings} finding(s)");
return findings == 0 ? 0 : 1;

static double Retime(Target target, byte[] input)
{
    var t = Stopwatch.GetTimestamp();
    try { target.Run(input); }
    catch (Exception) { } // its outcome was judged the first time
    return Stopwatch.GetElapsedTime(t).TotalMilliseconds;
}

long Arg(string name, long fallback) => Text(name) is { } v ? long.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : fallback;
string? Text(string name) { var i = Array.IndexOf(args, name); return i >= 0 && i + 1 < args.Length ? args[i + 1] : null; }
