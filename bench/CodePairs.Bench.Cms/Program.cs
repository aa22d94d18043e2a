using System.Diagnostics;
using CodePairs.Rules;
using CodePairs.Rules.Batch;
using CodePairs.Rules.Cms;
using CodePairs.Rules.Generation;
using CodePairs.Rules.Snapshots;

// Usage: dotnet run -c Release --project bench/CodePairs.Bench.Cms -- [folder] [runs]
// Generates the full-scale release (seed 1) and a 1M-line claims file into folder (default /tmp/codepairs-bench)
// unless they are there, then prints medians. Nothing here is a test; nothing full-size is committed.
var folder = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "codepairs-bench");
var runs = args.Length > 1 ? int.Parse(args[1]) : 5;
var only = args.Length > 2 ? args[2] : "all";
Directory.CreateDirectory(folder);
var claimsPath = Path.Combine(folder, "claims.csv");
if (!File.Exists(Path.Combine(folder, CmsNames.ManifestName)) || !File.Exists(claimsPath))
{
    var watch = Stopwatch.StartNew();
    var generator = new ReleaseGenerator(GeneratorOptions.Full(1));
    generator.WriteFiles(name => File.Create(Path.Combine(folder, name)));
    using (var s = File.Create(claimsPath)) generator.WriteClaims(s, 1_000_000, 1);
    Console.WriteLine($"generated full release + 1M claim lines in {watch.Elapsed.TotalSeconds:N1} s");
}

var files = Directory.GetFiles(folder).Where(f => !f.EndsWith(".snap") && !f.EndsWith(".csv") || f.Contains("MUE")).Order().ToList();
var practitioner = files.Where(f => Path.GetFileName(f).Contains("-ccipra-", StringComparison.Ordinal)).ToList();
CmsInput In(string f) => new(f, () => File.OpenRead(f));
Console.WriteLine($"runtime {Environment.Version}, {Environment.ProcessorCount} cores, server GC {System.Runtime.GCSettings.IsServerGC}");

static double Median(List<double> xs) { xs.Sort(); return xs[xs.Count / 2]; }
static (double Median, double Min, T Last) Measure<T>(int runs, Func<T> f)
{
    var times = new List<double>();
    T last = default!;
    var cpu = TimeSpan.Zero;
    for (var i = 0; i < runs + 1; i++) // first run warms up the JIT and is dropped
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var c0 = Process.GetCurrentProcess().TotalProcessorTime;
        var w = Stopwatch.StartNew();
        last = f();
        w.Stop();
        if (i > 0) { times.Add(w.Elapsed.TotalMilliseconds); cpu += Process.GetCurrentProcess().TotalProcessorTime - c0; }
    }
    Console.WriteLine($"    [{string.Join(", ", times.Select(t => t.ToString("N0")))} ms; CPU {cpu.TotalMilliseconds / runs:N0} ms/run; load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}]");
    return (Median(times), times.Min(), last);
}

if (only == "memory")
{
    // A cold start as the service does it: load the snapshot and nothing else, then measure the process.
    var w = Stopwatch.StartNew();
    RuleSet cold;
    using (var s = File.OpenRead(Path.Combine(folder, "release.snap"))) cold = RuleSnapshot.Load(s);
    w.Stop();
    GC.Collect(2, GCCollectionMode.Forced, true, true);
    GC.WaitForPendingFinalizers();
    GC.Collect(2, GCCollectionMode.Forced, true, true);
    var p = Process.GetCurrentProcess();
    p.Refresh();
    Console.WriteLine($"cold load of release.snap in a fresh process: {w.Elapsed.TotalMilliseconds:N0} ms (incl. JIT); after GC: managed heap {GC.GetTotalMemory(true) / 1048576.0:N1} MiB, working set {p.WorkingSet64 / 1048576.0:N0} MiB, peak working set {p.PeakWorkingSet64 / 1048576.0:N0} MiB; index arrays {cold.IndexBytes / 1048576.0:N1} MiB; {cold.Codes.Count:N0} codes");
    GC.KeepAlive(cold);
    return;
}

RuleSet? full = null;
if (only is "all" or "import")
{
    var (ptpMs, ptpMin, ptpRules) = Measure(runs, () => CmsImport.Import(practitioner.Select(In)).Build());
    Console.WriteLine($"import practitioner PTP ({ptpRules.VersionsOf(TableId.PtpPractitioner)[0].Rows:N0} rows, 4 zips) to a ready rule set: median {ptpMs:N0} ms (min {ptpMin:N0})");
    var (readMs, _, _) = Measure(runs, () => CmsImport.Import(practitioner.Select(In)));
    Console.WriteLine($"  of which reading the zips: median {readMs:N0} ms; building the index: ~{ptpMs - readMs:N0} ms");
    var (allMs, allMin, allRules) = Measure(Math.Max(1, runs / 2), () => CmsImport.Import(files.Select(In)).Build());
    full = allRules;
    Console.WriteLine($"import the whole release (2 PTP tables, AOC, 3 MUE tables) to a ready rule set: median {allMs:N0} ms (min {allMin:N0})");
}
full ??= CmsImport.Import(files.Select(In)).Build();

var snapPath = Path.Combine(folder, "release.snap");
var (writeMs, _, _) = Measure(runs, () => { using var s = File.Create(snapPath); RuleSnapshot.Write(s, full); return 0; });
var size = new FileInfo(snapPath).Length;
Console.WriteLine($"snapshot write: median {writeMs:N0} ms; size {size:N0} bytes ({size / 1048576.0:N1} MiB)");
var (loadMs, loadMin, loaded) = Measure(runs, () => { using var s = File.OpenRead(snapPath); return RuleSnapshot.Load(s); });
Console.WriteLine($"snapshot load (read + XxHash64 + checks + code index): median {loadMs:N0} ms (min {loadMin:N0})");
full = null;
GC.Collect(2, GCCollectionMode.Forced, true, true);
GC.WaitForPendingFinalizers();
GC.Collect(2, GCCollectionMode.Forced, true, true);
var process = Process.GetCurrentProcess();
process.Refresh();
Console.WriteLine($"memory after GC with the loaded rule set: managed heap {GC.GetTotalMemory(true) / 1048576.0:N0} MiB, working set {process.WorkingSet64 / 1048576.0:N0} MiB, peak working set {process.PeakWorkingSet64 / 1048576.0:N0} MiB (index arrays {loaded.IndexBytes / 1048576.0:N1} MiB)");

var validator = new ClaimValidator(loaded);
var (readOnlyMs, _, lines) = Measure(Math.Min(runs, 3), () =>
{
    using var s = File.OpenRead(claimsPath);
    var reader = new BatchReader(s, BatchFormat.Csv);
    foreach (var _ in reader.Read()) { }
    return reader.LinesRead;
});
Console.WriteLine($"batch read only ({lines:N0} lines): median {readOnlyMs:N0} ms = {lines / readOnlyMs * 1000:N0} lines/s");
var (checkNullMs, _, summary) = Measure(Math.Min(runs, 3), () =>
{
    using var s = File.OpenRead(claimsPath);
    return BatchCheck.Run(s, BatchFormat.Csv, validator, TextWriter.Null);
});
Console.WriteLine($"check, results discarded: median {checkNullMs:N0} ms = {summary.LinesIn / checkNullMs * 1000:N0} lines/s");
var resultsPath = Path.Combine(folder, "results.csv");
var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
var (checkMs, checkMin, summary2) = Measure(Math.Min(runs, 3), () =>
{
    using var s = File.OpenRead(claimsPath);
    using var w = new StreamWriter(resultsPath, false, new System.Text.UTF8Encoding(false), 1 << 16);
    return BatchCheck.Run(s, BatchFormat.Csv, validator, w);
});
Console.WriteLine($"check 1M-line file to results.csv: median {checkMs:N0} ms = {summary2.LinesIn / checkMs * 1000:N0} lines/s (best {summary2.LinesIn / checkMin * 1000:N0})");
var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / (Math.Min(runs, 3) + 1);
Console.WriteLine($"  CPU time per 1M-line run (all threads, user+system, averaged incl. warm-up): {cpu:N0} ms; machine load average at the end: {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
Console.WriteLine(summary2);
