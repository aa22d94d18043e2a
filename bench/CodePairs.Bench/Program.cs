using System.Diagnostics;
using CodePairs.Bench;
using CodePairs.Rules;

// Rules-engine benchmark (issue 2). One run measures, on a generated full-scale release:
//   build time and resident bytes of the rule set (practitioner + hospital PTP, AOC, MUE),
//   6-line and 25-line claims (median ns over 31 samples), claims/s on one core,
//   and the same claims against a Dictionary<(string, string), …> baseline.
// Usage: dotnet run -c Release --project bench/CodePairs.Bench [-- --seed N] [--scale small|full] [--stats] [--probe] [--profile SECONDS]
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
if (args.Contains("--stats")) { Stats.Print(rules, claims6); CheckProbe.Print(rules, claims6); return; }
if (args.Contains("--profile"))
{
    // Only the engine on the typical 6-line claims, for a given time: the process to sample with a profiler
    // (DOTNET_PerfMapEnabled=1 perf record -g -- dotnet ... --profile 20; docs/PERFORMANCE.md says how it was read).
    var seconds = ArgValue("--profile", 20);
    var clock = Stopwatch.StartNew();
    long validated = 0, found = 0;
    while (clock.Elapsed.TotalSeconds < seconds)
        foreach (var c in claims6) { found += validator.Validate(c).Findings.Count; validated++; }
    Console.WriteLine($"profile: {validated:N0} claims in {clock.Elapsed.TotalSeconds:N1} s = {clock.Elapsed.TotalMilliseconds * 1e6 / validated:N0} ns a claim ({found:N0} findings)");
    return;
}
foreach (var (name, claims) in new[] { ("6-line", claims6), ("25-line", claims25), ("6-line, every claim with a PTP pair,", claims6Heavy) })
{
    var withFindings = claims.Count(c => validator.Validate(c).Findings.Any(f => f.Severity >= Severity.Warning));
    var (engine, dict, ratio) = MeasureSideBySide(claims, c => validator.Validate(c).Findings.Count, c => baseline.Validate(c).Count);
    Console.WriteLine($"{name} claims ({withFindings * 100.0 / claims.Length:N0}% with a warning or denial): engine median {engine.MedianNs:N0} ns " +
                      $"(p10 {engine.P10Ns:N0}, p90 {engine.P90Ns:N0}), {1e9 / engine.MedianNs:N0} claims/s on one core; " +
                      $"baseline median {dict.MedianNs:N0} ns (p10 {dict.P10Ns:N0}, p90 {dict.P90Ns:N0}); ratio {ratio.Median:N1}x (p10 {ratio.P10:N1}, p90 {ratio.P90:N1})");
}

// Claims that all hit a PTP edit (the worst case for explanations).
var hitting = claims6Heavy.Where(c => validator.Validate(c).Findings.Any(f => f.Kind == FindingKind.Ptp)).Take(1024).ToArray();
if (hitting.Length > 0)
{
    var (e, d, r) = MeasureSideBySide(hitting, c => validator.Validate(c).Findings.Count, c => baseline.Validate(c).Count);
    Console.WriteLine($"6-line claims that all hit a PTP edit ({hitting.Length}): engine median {e.MedianNs:N0} ns, baseline {d.MedianNs:N0} ns, ratio {r.Median:N1}x (p10 {r.P10:N1}, p90 {r.P90:N1})");
}
var clean = claims6.Where(c => validator.Validate(c).Findings.Count == 0).ToArray();
if (clean.Length > 0)
{
    var (e, d, r) = MeasureSideBySide(clean, c => validator.Validate(c).Findings.Count, c => baseline.Validate(c).Count);
    var before = GC.GetAllocatedBytesForCurrentThread();
    foreach (var c in clean) validator.Validate(c);
    var bytes = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)clean.Length;
    Console.WriteLine($"6-line claims with no finding at all ({clean.Length} of {claims6.Length}): engine median {e.MedianNs:N0} ns, baseline {d.MedianNs:N0} ns, ratio {r.Median:N1}x (p10 {r.P10:N1}, p90 {r.P90:N1}); engine allocates {bytes:N0} bytes per claim");
}
{
    var before = GC.GetAllocatedBytesForCurrentThread();
    var findings = 0;
    foreach (var c in claims6) findings += validator.Validate(c).Findings.Count;
    Console.WriteLine($"6-line typical: {findings / (double)claims6.Length:N2} findings per claim, {(GC.GetAllocatedBytesForCurrentThread() - before) / (double)claims6.Length:N0} bytes allocated per claim");
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
    for (var s = 0; s < samples.Length; s++) samples[s] = Sample(claims, run, ref sink).WallNs;
    Array.Sort(samples);
    GC.KeepAlive(sink);
    return (samples[15], samples[3], samples[27]);
}

// The engine and the baseline sampled alternately (31 pairs of samples), so both meet the same moments of a shared
// machine's load; the ratio is the median of the per-pair ratios. Each sample also reports the process CPU time per
// claim (one thread runs; workstation non-concurrent GC): on a machine whose cores are shared, wall time includes the
// time this thread waits for a core, CPU time does not, so it is the steadier figure.
static ((double MedianNs, double P10Ns, double P90Ns) Engine, (double MedianNs, double P10Ns, double P90Ns) Baseline, (double Median, double P10, double P90) Ratio)
    MeasureSideBySide(Claim[] claims, Func<Claim, int> engine, Func<Claim, int> baseline)
{
    var sink = 0;
    var warm = Stopwatch.StartNew();
    while (warm.ElapsedMilliseconds < 1500) foreach (var c in claims) { sink += engine(c); sink += baseline(c); } // tiering + PGO
    var e = new double[31];
    var b = new double[31];
    var r = new double[31];
    var ec = new double[31];
    var bc = new double[31];
    var rc = new double[31];
    for (var s = 0; s < e.Length; s++)
    {
        (e[s], ec[s]) = Sample(claims, engine, ref sink);
        (b[s], bc[s]) = Sample(claims, baseline, ref sink);
        r[s] = b[s] / e[s];
        rc[s] = bc[s] / ec[s];
    }
    GC.KeepAlive(sink);
    foreach (var a in new[] { e, b, r, ec, bc, rc }) Array.Sort(a);
    Console.WriteLine($"  CPU time per claim: engine median {ec[15]:N0} ns (p10 {ec[3]:N0}, p90 {ec[27]:N0}), baseline {bc[15]:N0} ns (p10 {bc[3]:N0}, p90 {bc[27]:N0}); ratio {rc[15]:N1}x (p10 {rc[3]:N1}, p90 {rc[27]:N1})");
    return ((e[15], e[3], e[27]), (b[15], b[3], b[27]), (r[15], r[3], r[27]));
}

static (double WallNs, double CpuNs) Sample(Claim[] claims, Func<Claim, int> run, ref int sink)
{
    var cpu = Environment.CpuUsage.TotalTime;
    var t = Stopwatch.StartNew();
    var n = 0;
    do { foreach (var c in claims) { sink += run(c); n++; } } while (t.ElapsedMilliseconds < 100);
    var wall = t.Elapsed.TotalNanoseconds / n;
    return (wall, (Environment.CpuUsage.TotalTime - cpu).TotalNanoseconds / n);
}

int ArgValue(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
}
internal static class Stats
{
    public static void Print(RuleSet rules, Claim[] claims)
    {
        var ptp = (PtpIndex)rules.VersionsOf(TableId.PtpPractitioner)[0].Index;
        long pairs = 0, outPass = 0, inPass = 0, hits = 0, runTotal = 0;
        var runs = new List<int>();
        foreach (var c in claims)
        {
            var ids = c.Lines.Select(l => rules.Codes.Find(l.Code)).ToArray();
            for (var i = 0; i < ids.Length; i++)
            for (var j = 0; j < ids.Length; j++)
            {
                if (i == j || ids[i] < 0 || ids[j] < 0 || ids[i] == ids[j]) continue;
                pairs++;
                var run = ptp.Offsets[ids[i] + 1] - ptp.Offsets[ids[i]];
                var b2 = (int)(((uint)ids[j] * 0x9E3779B1u) >> 24);
                if ((ptp.OutSignatures[ids[i] * 4 + (b2 >> 6)] & (1UL << (b2 & 63))) == 0) continue;
                outPass++;
                var b1 = (int)(((uint)ids[i] * 0x9E3779B1u) >> 24);
                if ((ptp.InSignatures[ids[j] * 4 + (b1 >> 6)] & (1UL << (b1 & 63))) == 0) continue;
                inPass++; runTotal += run; runs.Add(run);
                var (s, e) = ptp.Find(ids[i], ids[j]);
                if (e > s) hits++;
            }
        }
        runs.Sort();
        Console.WriteLine($"stats: pairs {pairs:N0}, out-sig pass {outPass * 100.0 / pairs:N1}%, in-sig pass {inPass * 100.0 / pairs:N1}%, hits {hits * 100.0 / pairs:N2}%, mean run searched {runTotal / (double)Math.Max(1, inPass):N0}, median run {(runs.Count > 0 ? runs[runs.Count / 2] : 0)}");
        var lens = Enumerable.Range(0, ptp.Offsets.Length - 1).Select(c => ptp.Offsets[c + 1] - ptp.Offsets[c]).OrderDescending().ToArray();
        Console.WriteLine($"stats: codes with >=256 partners {lens.Count(l => l >= 256)}, >=1024 {lens.Count(l => l >= 1024)}, >=4096 {lens.Count(l => l >= 4096)}; rows in runs >=256: {lens.Where(l => l >= 256).Sum():N0}");
    }
}
internal static class CheckProbe
{
    public static void Print(RuleSet rules, Claim[] claims)
    {
        IClaimCheck[] checks = [new UnknownCodeCheck([]), PtpCheck.Instance, AddOnCheck.Instance, MueCheck.Instance];
        var list = new FindingList();
        foreach (var check in checks.Append(null))
        {
            var sink = 0L;
            double best = double.MaxValue;
            for (var rep = 0; rep < 150; rep++)
            {
                var t = Stopwatch.StartNew();
                foreach (var claim in claims)
                {
                    var n = claim.Lines.Count;
                    Span<int> ids = new int[n];
                    Span<ushort> days = new ushort[n];
                    var eras = new Era[n];
                    for (var i = 0; i < n; i++) { ids[i] = rules.Codes.Find(claim.Lines[i].Code); days[i] = NcciDate.ToDay(claim.DateOf(i)); eras[i] = rules.EraFor(days[i]); }
                    list.Start(claim, rules);
                    var ctx = new ClaimContext(claim, ids, days, eras, list);
                    check?.Check(ref ctx);
                    sink += list.TakeSorted().Count;
                }
                best = Math.Min(best, t.Elapsed.TotalNanoseconds / claims.Length);
            }
            Console.WriteLine($"check probe {(check?.GetType().Name ?? "setup only")}: best {best:N0} ns per claim ({sink} findings)");
        }
    }
}
