using System.Diagnostics;
using CodePairs.Cli;
using CodePairs.Rules;
using CodePairs.Rules.Batch;
using CodePairs.Rules.Generation;
using CodePairs.Rules.Snapshots;

// Usage (one core): taskset -c 0 dotnet bench/CodePairs.Bench.X12/bin/Release/net10.0/CodePairs.Bench.X12.dll [--lines 1000000] [--kind p|i] [--runs 5] [--phase name]
// Generates a small release (seed 7) and an 837 of --lines service lines from its codes, then times, --runs times each:
//   read      the engine's 837 reader alone (BatchReader over the file: every claim built, nothing validated)
//   validate  reader + ClaimValidator (no output)
//   check     BatchCheck.Run: reader + validator + result rows (to a null stream)
//   cli       Commands.Check, what `codepairs check <snap> <file> --out <file>` runs, snapshot load included
//   process   the codepairs CLI as a child process (same affinity), process start-up included
var lines = (int)Arg("--lines", 1_000_000);
var runs = (int)Arg("--runs", 5);
var institutional = Array.IndexOf(args, "--kind") is var k and >= 0 && k + 1 < args.Length && args[k + 1] == "i";
var folder = Path.Combine(Path.GetTempPath(), $"codepairs-x12-bench-{Environment.ProcessId}");
Directory.CreateDirectory(folder);
try
{
    var options = GeneratorOptions.Small(seed: 7);
    var generator = new ReleaseGenerator(options);
    var rules = RuleSet.Build(generator.Build());
    var snap = Path.Combine(folder, "rules.snap");
    using (var s = File.Create(snap)) RuleSnapshot.Write(s, rules);
    var file = Path.Combine(folder, institutional ? "claims-i.837" : "claims-p.837");
    using (var s = File.Create(file)) generator.WriteClaims837(s, lines, seed: 42, institutional);
    var bytes = new FileInfo(file).Length;
    Console.WriteLine($"{(institutional ? "837I" : "837P")}: {lines:N0} service lines, {bytes / 1048576.0:N1} MiB ({bytes / (double)lines:N0} bytes per service line); " +
                      $"{Environment.ProcessorCount} processor(s) visible; .NET {Environment.Version}");
    var validator = new ClaimValidator(rules);

    Time("read", () =>
    {
        using var input = File.OpenRead(file);
        var reader = new BatchReader(input, BatchFormat.X12);
        var n = 0;
        foreach (var item in reader.Read()) if (item is BatchClaim) n++;
        return reader.ServiceLinesRead;
    });
    Time("validate", () =>
    {
        using var input = File.OpenRead(file);
        var reader = new BatchReader(input, BatchFormat.X12);
        var findings = 0;
        foreach (var item in reader.Read()) if (item is BatchClaim c) findings += validator.Validate(c.Claim).Findings.Count;
        return reader.ServiceLinesRead;
    });
    Time("check", () =>
    {
        using var input = File.OpenRead(file);
        using var sink = new StreamWriter(Stream.Null);
        return BatchCheck.Run(new BatchReader(input, BatchFormat.X12), validator, sink, sink).ServiceLines;
    });
    var results = Path.Combine(folder, "results.csv");
    Time("cli", () =>
    {
        var commands = new Commands(TextWriter.Null, TextWriter.Null);
        var exit = commands.Check(snap, file, results, null, includeInfo: false);
        if (exit is not (ExitCodes.Findings or ExitCodes.Rejected)) throw new InvalidOperationException($"check exited {exit}");
        return lines;
    });
    var cli = Path.Combine(AppContext.BaseDirectory, "codepairs.dll");
    Time("process", () =>
    {
        using var p = Process.Start(new ProcessStartInfo("dotnet", [cli, "check", snap, file, "--out", results])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        var text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (runs == 1) Console.Write(text);
        return lines;
    });
    Console.WriteLine($"results.csv of the last run: {new FileInfo(results).Length / 1048576.0:N1} MiB; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:N0} MiB");
}
finally
{
    Directory.Delete(folder, recursive: true);
}

void Time(string name, Func<int> run)
{
    if (Array.IndexOf(args, "--phase") is var at and >= 0 && at + 1 < args.Length && args[at + 1] != name) return;
    run(); // warm-up (JIT, file cache)
    var seconds = new List<double>();
    var count = 0;
    for (var r = 0; r < runs; r++)
    {
        GC.Collect();
        var clock = Stopwatch.StartNew();
        count = run();
        seconds.Add(clock.Elapsed.TotalSeconds);
    }
    seconds.Sort();
    var median = seconds[seconds.Count / 2];
    var allocated = GC.GetTotalAllocatedBytes(precise: true);
    var (gen0, gen1, gen2, pause) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
    run();
    allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
    (gen0, gen1, gen2, pause) = (GC.CollectionCount(0) - gen0, GC.CollectionCount(1) - gen1, GC.CollectionCount(2) - gen2, GC.GetTotalPauseDuration() - pause);
    // The child process's allocations are its own: this process sees none.
    var memory = allocated < count ? "" : $"; {allocated / (double)count:N0} bytes allocated per service line; GCs per run: {gen0} (gen 1: {gen1}, gen 2: {gen2}), paused {pause.TotalMilliseconds:N0} ms";
    Console.WriteLine($"{name,-9} {count:N0} service lines: median {median:N2} s = {count / median,9:N0} service lines/s " +
                      $"(min {seconds[0]:N2} s = {count / seconds[0]:N0}/s, max {seconds[^1]:N2} s){memory}");
}

long Arg(string name, long fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? long.Parse(args[i + 1]) : fallback;
}
