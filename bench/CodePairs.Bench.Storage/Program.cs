// Measures the rule-store write of a realistic-size synthetic release into Azurite (issue 4/5):
//   dotnet run -c Release --project bench/CodePairs.Bench.Storage -- [connection string] [row-per-edit sample rows]
// The release is generated with a seeded Random in real CMS row shapes: ≈2.5M practitioner + ≈1.9M hospital PTP rows
// over ≈13k codes with a skewed (Zipf-like) column-1 fan-out, plus AOC and three MUE tables.
using System.Diagnostics;
using Azure.Data.Tables;
using CodePairs.Storage;
using CodePairs.Rules;

var connection = args.Length > 0 ? args[0] : "UseDevelopmentStorage=true";
var sampleRows = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
var releaseId = "b" + DateTime.UtcNow.ToString("MMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);

var clock = Stopwatch.StartNew();
var (set, release) = SyntheticRelease.Build(releaseId, practitionerRows: 2_500_000, hospitalRows: 1_900_000, codeCount: 13_000, seed: 20260701);
Console.WriteLine($"release {releaseId}: {string.Join(", ", release.Components.Select(c => $"{c.Table} {c.Rows:N0}"))}; {set.Codes.Count:N0} codes; built in {clock.Elapsed.TotalSeconds:F1} s");

var service = new TableServiceClient(connection);
var tableName = "RuleEditsBench" + releaseId[1..];
var store = new TableReleaseEditsStore(service, tableName);

clock.Restart();
var written = 0;
var progress = new Progress<int>(n => Interlocked.Exchange(ref written, n));
using (var timer = new Timer(_ => Console.WriteLine($"  … {Volatile.Read(ref written):N0} entities at {clock.Elapsed.TotalSeconds:F0} s"), null, 10_000, 10_000))
{
    var result = await store.WriteAsync(release, set.Codes, progress, CancellationToken.None);
    var wall = clock.Elapsed;
    Console.WriteLine($"per-code layout: {result.Rows:N0} rows -> {result.Entities:N0} entities in {result.Transactions:N0} transactions, wall {wall.TotalSeconds:F1} s " +
                      $"({result.Entities / wall.TotalSeconds:N0} entities/s, {result.Rows / wall.TotalSeconds:N0} rows/s)");
}

clock.Restart();
foreach (var c in release.Components)
{
    var counted = await store.CountRowsAsync(release.Id, c.Table, CancellationToken.None);
    if (counted != c.Rows) throw new InvalidOperationException($"{c.Table}: stored {counted} rows, release has {c.Rows}");
}
Console.WriteLine($"verification (CountRowsAsync over every table): counts match, {clock.Elapsed.TotalSeconds:F1} s");

// Row-per-edit layout over a sample, same planner and writer: one entity per PTP row.
var rowTable = service.GetTableClient("RuleEditsRowBench" + releaseId[1..]);
await rowTable.CreateIfNotExistsAsync();
var sample = RowPerEdit.Entities(release, set.Codes, sampleRows).ToList();
var batches = TableBatchPlanner.Plan(sample);
clock.Restart();
var (rowEntities, rowTransactions) = await TableBatchWriter.WriteAsync(rowTable, batches, null, CancellationToken.None);
var rowWall = clock.Elapsed;
var totalPtp = release.Components.Where(c => c.Table.StartsWith("ptp", StringComparison.Ordinal)).Sum(c => (long)c.Rows);
var factor = (double)totalPtp / rowEntities;
Console.WriteLine($"row-per-edit sample: {rowEntities:N0} rows -> {rowEntities:N0} entities in {rowTransactions:N0} transactions, wall {rowWall.TotalSeconds:F1} s " +
                  $"({rowEntities / rowWall.TotalSeconds:N0} entities/s)");
Console.WriteLine($"row-per-edit extrapolated (x{factor:F1}) to {totalPtp:N0} PTP rows: ~{rowEntities * factor:N0} entities, " +
                  $"~{rowTransactions * factor:N0} transactions, ~{rowWall.TotalSeconds * factor / 60:F1} min (linear extrapolation, not measured)");

await service.DeleteTableAsync(tableName);
await service.DeleteTableAsync(rowTable.Name);
