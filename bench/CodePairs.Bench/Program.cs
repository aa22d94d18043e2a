using System.Diagnostics;
using CodePairs.Bench;
using CodePairs.Rules;

// Rules-engine benchmark (issue 2). One run measures, on a generated full-scale release:
//   build time and resident bytes of the rule set (practitioner + hospital PTP, AOC, MUE),
//   6-line and 25-line claims (median ns over 31 samples), claims/s on one core,
//   and the same claims against a Dictionary<(string, string), …> baseline.
// Usage: dotnet run -c Release --project bench/CodePairs.Bench [-- --seed N] [--scale small|full]
var seed = ArgValue("--seed", 42);
var scale = args.SkipWhile(a => a != "--scale").Skip(1).FirstOrDefault() ?? "full";

Console.WriteLine($"CodePairs rules-engine benchmark · scale {scale} · seed {seed} · {Environment.ProcessorCount} cores · .NET {Environment.Version}");
var rows = BenchData.Generate(scale, seed);
Console.WriteLine($"generated rows: PTP practitioner {rows.PractitionerPtp.Length:N0}, hospital {rows.HospitalPtp.Length:N0}, AOC {rows.AddOns.Length:N0}, MUE {rows.Mue.Sum(m => m.Rows.Length):N0}");

// Build: rows -> builder -> compact indexes, timed; resident bytes = managed heap growth with everything else released.
System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
var heapBefore = GC.GetTotalMemory(true);
var (rules, buildMs) = Build(rows);
System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
var heapAfter = GC.GetTotalMemory(true);
Console.WriteLine($"rule set: {rules.Codes.Count:N0} codes; build {buildMs:N0} ms; resident {(heapAfter - heapBefore) / 1048576.0:N1} MiB managed ({rules.IndexBytes / 1048576.0:N1} MiB of index arrays)");

var baseline = new DictionaryBaseline(rows.PractitionerPtp, rows.AddOns, rows.Mue.First(m => m.Table == TableId.MuePractitioner).Rows);
System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
var heapBaseline = GC.GetTotalMemory(true);
Console.WriteLine($"baseline (practitioner PTP + AOC + practitioner MUE only): {baseline.PtpPairs:N0} pairs; resident {(heapBaseline - heapAfter) / 1048576.0:N1} MiB managed");

var validator = new ClaimValidator(rules);
var claims6 = rows.Claims(rules, 6, 4096, seed, pairPercent: 10);
var claims25 = rows.Claims(rules, 25, 1024, seed + 1, pairPercent: 10);
var claims6Heavy = rows.Claims(rules, 6, 4096, seed + 2, pairPercent: 100);
foreach (var (name, claims) in new[] { ("6-line", claims6), ("25-line", claims25), ("6-line, every claim with a PTP pair,", claims6Heavy) })
{
    var withFindings = claims.Count(c => validator.Validate(c).Findings.Any(f => f.Severity >= Severity.Warning));
    var engine = Measure(claims, c => validator.Validate(c).Findings.Count);
    var dict = Measure(claims, c => baseline.Validate(c).Count);
    Console.WriteLine($"{name} claims ({withFindings * 100.0 / claims.Length:N0}% with a warning or denial): engine median {engine.MedianNs:N0} ns " +
                      $"(p10 {engine.P10Ns:N0}, p90 {engine.P90Ns:N0}), {1e9 / engine.MedianNs:N0} claims/s on one core; " +
                      $"baseline median {dict.MedianNs:N0} ns; ratio {dict.MedianNs / engine.MedianNs:N1}x");
}

// Claims that all hit a PTP edit (the worst case for explanations).
var hitting = claims6Heavy.Where(c => validator.Validate(c).Findings.Any(f => f.Kind == FindingKind.Ptp)).Take(1024).ToArray();
if (hitting.Length > 0)
{
    var e = Measure(hitting, c => validator.Validate(c).Findings.Count);
    var d = Measure(hitting, c => baseline.Validate(c).Count);
    Console.WriteLine($"6-line claims that all hit a PTP edit ({hitting.Length}): engine median {e.MedianNs:N0} ns, baseline {d.MedianNs:N0} ns, ratio {d.MedianNs / e.MedianNs:N1}x");
}
var clean = claims6.Where(c => validator.Validate(c).Findings.Count == 0).ToArray();
if (clean.Length > 0)
{
    var e = Measure(clean, c => validator.Validate(c).Findings.Count);
    var d = Measure(clean, c => baseline.Validate(c).Count);
    Console.WriteLine($"6-line claims with no finding at all ({clean.Length} of {claims6.Length}): engine median {e.MedianNs:N0} ns, baseline {d.MedianNs:N0} ns, ratio {d.MedianNs / e.MedianNs:N1}x");
}

if (args.Contains("--probe"))
{
    var ptp = (PtpIndex)rules.VersionsOf(TableId.PtpPractitioner)[0].Index;
    var lookups = Measure(claims6, c =>
    {
        Span<int> ids = stackalloc int[c.Lines.Count];
        for (var i = 0; i < ids.Length; i++) ids[i] = rules.Codes.Find(c.Lines[i].Code);
        var hits = 0;
        for (var i = 0; i < ids.Length; i++)
        for (var j = 0; j < ids.Length; j++)
            if (i != j && ids[i] >= 0 && ids[j] >= 0) { var (s0, e0) = ptp.Find(ids[i], ids[j]); hits += e0 - s0; }
        return hits;
    });
    Console.WriteLine($"probe: code ids + 30 PTP lookups per 6-line claim: median {lookups.MedianNs:N0} ns");
    var codesOnly = Measure(claims6, c => { var h = 0; foreach (var l in c.Lines) h += rules.Codes.Find(l.Code); return h; });
    Console.WriteLine($"probe: code ids only: median {codesOnly.MedianNs:N0} ns");
}
Console.WriteLine($"process working set {Process.GetCurrentProcess().WorkingSet64 / 1048576.0:N0} MiB (includes generated rows and the baseline)");

// In its own frame so the builder's row lists are unreachable when the heap is measured.
[System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
static (RuleSet Rules, double BuildMs) Build(BenchData rows)
{
    var builder = rows.ToBuilder();
    var watch = Stopwatch.StartNew();
    var rules = builder.Build();
    return (rules, watch.Elapsed.TotalMilliseconds);
}

static (double MedianNs, double P10Ns, double P90Ns) Measure(Claim[] claims, Func<Claim, int> run)
{
    var sink = 0;
    var warm = Stopwatch.StartNew();
    while (warm.ElapsedMilliseconds < 1500) foreach (var c in claims) sink += run(c); // tiering + PGO
    var samples = new double[31];
    for (var s = 0; s < samples.Length; s++)
    {
        var t = Stopwatch.StartNew();
        var n = 0;
        do { foreach (var c in claims) { sink += run(c); n++; } } while (t.ElapsedMilliseconds < 100);
        samples[s] = t.Elapsed.TotalNanoseconds / n;
    }
    Array.Sort(samples);
    GC.KeepAlive(sink);
    return (samples[15], samples[3], samples[27]);
}

int ArgValue(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
}
