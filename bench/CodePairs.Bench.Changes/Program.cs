// The change report on full-scale data (issue 15):
//   dotnet run -c Release --project bench/CodePairs.Bench.Changes -- [share of rows changed, default 0.01]
// Generates two versions of the practitioner PTP table (GeneratorOptions.Full: ≈ 2.56M rows each; the second with a
// seeded share of edits deleted, indicators revised and pairs added, as ReleaseGenerator.WithNextQuarter changes them),
// then times TableChanges.Between on one thread: version against version, date against date, and with a code list.
using System.Diagnostics;
using CodePairs.Rules;
using CodePairs.Rules.Generation;

var share = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 0.01;
var clock = Stopwatch.StartNew();
var (builder, expected) = new ReleaseGenerator(GeneratorOptions.Full() with { Tables = [TableId.PtpPractitioner] }).WithNextQuarter(share);
var rules = builder.Build();
var (q3, q4) = (rules.VersionsOf(TableId.PtpPractitioner)[0], rules.VersionsOf(TableId.PtpPractitioner)[1]);
Console.WriteLine($"two practitioner PTP versions: {q3.Version} {q3.Rows:N0} rows, {q4.Version} {q4.Rows:N0} rows; {expected.Count:N0} generated changes; built in {clock.Elapsed.TotalSeconds:N1} s");

Measure("version against version, all codes", () => TableChanges.Between(rules, q3, q4));
Measure("date against date (2026-09-30 → 2026-10-01), all codes", () => TableChanges.Between(rules, TableId.PtpPractitioner, new DateOnly(2026, 9, 30), new DateOnly(2026, 10, 1)));
var codes = rules.Codes.Count;
IReadOnlyList<CodeRange> list = [new CodeRange(rules.Codes.CodeOf(codes / 3), rules.Codes.CodeOf(codes / 3 + 200))];
Measure($"version against version, codes {list[0]}", () => TableChanges.Between(rules, q3, q4, list));

var report = TableChanges.Between(rules, q3, q4);
if (report.Changes.Count != expected.Count) throw new InvalidOperationException($"the report has {report.Changes.Count} changes, the generator made {expected.Count}");
Console.WriteLine($"the report matches the generator: {report.Changes.Count:N0} changes ({string.Join(", ", report.Counts.Select(c => $"{c.Value:N0} {c.Key}"))})");

static void Measure(string what, Func<ChangeReport> run)
{
    run(); // warm-up (JIT)
    var times = new List<double>();
    var count = 0;
    for (var i = 0; i < 9; i++)
    {
        GC.Collect();
        var t = Stopwatch.StartNew();
        count = run().Changes.Count;
        times.Add(t.Elapsed.TotalMilliseconds);
    }
    times.Sort();
    Console.WriteLine($"{what}: median {times[4]:N0} ms (min {times[0]:N0}, max {times[^1]:N0}) over 9 runs, one thread; {count:N0} changes");
}
