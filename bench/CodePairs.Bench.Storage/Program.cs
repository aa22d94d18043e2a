// Measures the rule-store write of a realistic-size synthetic release into Azurite (issue 4/5):
//   dotnet run -c Release --project bench/CodePairs.Bench.Storage -- [connection string] [row-per-edit sample rows]
// The tables are generated with a seeded Random in real CMS row shapes: ≈2.5M practitioner + ≈1.9M hospital PTP rows
// over ≈13k codes with a skewed (Zipf-like) column-1 fan-out, plus AOC and three MUE tables; each table version is
// written with the per-code layout, then a sample with one entity per PTP row for comparison.
using System.Diagnostics;
using Azure.Data.Tables;
using CodePairs.Rules;
using CodePairs.Storage;

var connection = args.Length > 0 ? args[0] : "UseDevelopmentStorage=true";
var sampleRows = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
var run = DateTime.UtcNow.ToString("MMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);

var clock = Stopwatch.StartNew();
var set = SyntheticRelease.Build("v322r0", practitionerRows: 2_500_000, hospitalRows: 1_900_000, codeCount: 13_000, seed: 20260701);
Console.WriteLine($"tables: {string.Join(", ", set.Versions.Select(v => $"{v.Table.Name()} {v.Rows:N0}"))}; {set.Codes.Count:N0} codes; built in {clock.Elapsed.TotalSeconds:F1} s");

var service = new TableServiceClient(connection);
var tableName = "RuleEditsBench" + run;
var store = new TableRuleEditsStore(service, tableName);

clock.Restart();
long entities = 0, transactions = 0, rows = 0;
foreach (var version in set.Versions)
{
    var result = await store.WriteAsync(StoredRows.Encode(version), version.Key, null, null, null, 0, CancellationToken.None);
    (entities, transactions, rows) = (entities + result.Entities, transactions + result.Transactions, rows + result.Rows);
}
var wall = clock.Elapsed;
Console.WriteLine($"per-code layout: {rows:N0} rows -> {entities:N0} entities in {transactions:N0} transactions, wall {wall.TotalSeconds:F1} s " +
                  $"({entities / wall.TotalSeconds:N0} entities/s, {rows / wall.TotalSeconds:N0} rows/s)");

clock.Restart();
foreach (var v in set.Versions)
{
    var counted = await store.CountRowsAsync(v.Table, v.Key, CancellationToken.None);
    if (counted != v.Rows) throw new InvalidOperationException($"{v.Table.Name()}: stored {counted} rows, the version has {v.Rows}");
}
Console.WriteLine($"verification (CountRowsAsync over every table): counts match, {clock.Elapsed.TotalSeconds:F1} s");

// Row-per-edit layout over a sample, same planner and writer: one entity per PTP row.
var rowTable = service.GetTableClient("RuleEditsRowBench" + run);
await rowTable.CreateIfNotExistsAsync();
var sample = RowPerEdit.Entities(set.VersionsOf(TableId.PtpPractitioner)[0], sampleRows).ToList();
var batches = TableBatchPlanner.Plan(sample);
clock.Restart();
var (rowEntities, rowTransactions) = await TableBatchWriter.WriteAsync(rowTable, batches, null, CancellationToken.None);
var rowWall = clock.Elapsed;
var totalPtp = set.Versions.Where(v => v.Kind == TableKind.Ptp).Sum(v => (long)v.Rows);
var factor = (double)totalPtp / rowEntities;
Console.WriteLine($"row-per-edit sample: {rowEntities:N0} rows -> {rowEntities:N0} entities in {rowTransactions:N0} transactions, wall {rowWall.TotalSeconds:F1} s " +
                  $"({rowEntities / rowWall.TotalSeconds:N0} entities/s)");
Console.WriteLine($"row-per-edit extrapolated (x{factor:F1}) to {totalPtp:N0} PTP rows: ~{rowEntities * factor:N0} entities, " +
                  $"~{rowTransactions * factor:N0} transactions, ~{rowWall.TotalSeconds * factor / 60:F1} min (linear extrapolation, not measured)");

await service.DeleteTableAsync(tableName);
await service.DeleteTableAsync(rowTable.Name);
