// Mutation fuzzing of every parser, on demand (not in CI):
//   dotnet run -c Release --project bench/CodePairs.Fuzz -- [--seconds 60 | --executions 10000000] [--targets ptp-text,mue-csv] [--seed 1] [--out /tmp/fuzz]
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

var findings = 0;
foreach (var target in Targets.All().Where(t => only is null || only.Contains(t.Name)))
{
    var random = new Random(seed);
    var pool = new List<byte[]>(target.Seeds);
    var clock = Stopwatch.StartNew();
    long runs = 0, documented = 0, slowest = 0;
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
        if (ms > slowest) slowest = (long)ms;
        if (ms > 2000)
        {
            findings++;
            var file = Path.Combine(outDir, $"{target.Name}-slow-{runs}.bin");
            File.WriteAllBytes(file, actual);
            Console.WriteLine($"FINDING {target.Name}: an input took {ms:N0} ms (saved to {file})");
        }
        runs++;
        if (clock.Elapsed - lastReport > TimeSpan.FromMinutes(1))
        {
            lastReport = clock.Elapsed;
            Console.WriteLine($"  {target.Name}: {runs:N0} executions, {runs / clock.Elapsed.TotalSeconds:N0}/s");
        }
    }
    Console.WriteLine($"{target.Name}: {runs:N0} executions in {clock.Elapsed.TotalSeconds:N0} s ({runs / clock.Elapsed.TotalSeconds:N0}/s), " +
                      $"{documented:N0} documented errors ({string.Join(", ", errors.Select(e => $"{e.Key} {e.Value:N0}"))}), slowest input {slowest:N0} ms");
}
Console.WriteLine(findings == 0 ? "no findings" : $"{findings} finding(s)");
return findings == 0 ? 0 : 1;

long Arg(string name, long fallback) => Text(name) is { } v ? long.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : fallback;
string? Text(string name) { var i = Array.IndexOf(args, name); return i >= 0 && i + 1 < args.Length ? args[i + 1] : null; }
