// The rule refresh job end to end on full-size generated CMS tables (issues 5 and 10):
//   dotnet run -c Release --project bench/CodePairs.Bench.Refresh -- [connection string]
// 1. a full quarter (v322r0: practitioner + hospital PTP in f1–f4 zips, the AOC zip, three MUE zips, under CMS's
//    download names) dropped into rules-incoming/v322r0/ and refreshed: discover → fetch → read → stage each table
//    version (write with checkpoints, verify, snapshot) → compose the rule set → activate → retention;
// 2. the same files again (nothing new);
// 3. the next quarter's three MUE tables alone (rules-incoming/mueq4/), refreshed on top of the active rule set: only
//    the MUE versions are written, PTP and AOC carry over.
// Prints the wall time per step and the entity writes of each run. Uses its own catalogue/edits tables and containers.
// Also (issue 11): `faults [--scale full|small] [--rates 0.1,0.3]` (FaultRuns.cs) and `chaos publish|refresh ...`
// (ChaosRuns.cs, driven by scripts/chaos.sh).
using System.Diagnostics;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using CodePairs.Functions.Refresh;
using CodePairs.Rules;
using CodePairs.Rules.Cms;
using CodePairs.Rules.Generation;
using CodePairs.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

if (args is ["faults", ..]) return await FaultRuns.RunAsync(args[1..]);
if (args is ["chaos", ..]) return await ChaosRuns.RunAsync(args[1..]);

var connection = args.Length > 0 ? args[0] : "UseDevelopmentStorage=true";
var suffix = DateTime.UtcNow.ToString("MMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);

// The service's retry settings (StorageRetry, as StorageClients registers them).
var tables = new TableServiceClient(connection, StorageSettings.TableOptions());
var blobs = new BlobServiceClient(connection, StorageSettings.BlobOptions());
var catalogTable = "BenchCatalog" + suffix;
var editsTable = "BenchEdits" + suffix;
var dropContainer = "bench-incoming-" + suffix;
var snapshotContainer = "bench-snapshots-" + suffix;

var catalog = new TableRuleCatalog(tables, catalogTable);
var checkpoints = new TableCheckpointStore(tables, catalogTable);
var publisher = new RulePublisher(catalog, new TableRuleEditsStore(tables, editsTable), new BlobSnapshotStore(blobs, snapshotContainer), checkpoints);
var stores = new RefreshStores(publisher, checkpoints, new TableRefreshJobRow(tables, catalogTable), new DropContainerSource(blobs, dropContainer), new BlobReleaseFiles(blobs), null);
var job = new RefreshJob(stores, Options.Create(new RefreshOptions()), TimeProvider.System, NullLogger<RefreshJob>.Instance);

var folder = Path.Combine(Path.GetTempPath(), "codepairs-bench-refresh-" + Guid.NewGuid().ToString("N"));
try
{
    var full = await DropAsync("v322r0", GeneratorOptions.Full() with { ReleaseId = "v322r0" });
    await RunAsync("full quarter v322r0 (six tables)", full);
    await RunAsync("the same files again", full);
    var mue = await DropAsync("mueq4", GeneratorOptions.Full(seed: 2) with { ReleaseId = "v323r0", Tables = [TableId.MuePractitioner, TableId.MueHospital, TableId.MueDme] });
    await RunAsync("MUE-only drop of the next quarter (three MUE tables)", mue);
    var active = await catalog.GetRuleSetAsync((await catalog.GetActiveAsync(default))!.RuleSetId, default);
    Console.WriteLine($"active rule set {active!.Id}: {string.Join(", ", active.Tables.Select(t => $"{t.Table.Name()} {t.Version}"))}");
}
finally
{
    if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    await tables.DeleteTableAsync(catalogTable);
    await tables.DeleteTableAsync(editsTable);
    await blobs.GetBlobContainerClient(dropContainer).DeleteIfExistsAsync();
    await blobs.GetBlobContainerClient(snapshotContainer).DeleteIfExistsAsync();
}
return 0;

async Task<string> DropAsync(string name, GeneratorOptions options)
{
    var local = Path.Combine(folder, name);
    Directory.CreateDirectory(local);
    var clock = Stopwatch.StartNew();
    new ReleaseGenerator(options).WriteFiles(file => File.Create(Path.Combine(local, file)));
    File.Delete(Path.Combine(local, CmsNames.ManifestName)); // operators drop the CMS zips only
    var files = Directory.GetFiles(local).Select(f => new FileInfo(f)).OrderBy(f => f.Name).ToList();
    Console.WriteLine($"generated {name}: {files.Count} files ({files.Sum(f => f.Length) / 1048576.0:F1} MiB) in {clock.Elapsed.TotalSeconds:F1} s");
    var container = blobs.GetBlobContainerClient(dropContainer);
    await container.CreateIfNotExistsAsync();
    foreach (var f in files) await container.GetBlobClient($"{name}/{f.Name}").UploadAsync(f.FullName, overwrite: true);
    await container.GetBlobClient($"{name}/{DropContainerSource.ReadyMarker}").UploadAsync(new BinaryData([]), overwrite: true);
    return name;
}

async Task RunAsync(string what, string drop)
{
    var clock = Stopwatch.StartNew();
    var outcome = await job.RunAsync(new RefreshRequest("bench", drop), CancellationToken.None);
    var wall = clock.Elapsed;
    Console.WriteLine($"{what}: {JsonNames.Of(outcome.Status.State)}, wall {wall.TotalSeconds:F1} s, entity writes {outcome.EntityWrites:N0}");
    foreach (var c in outcome.Candidates) Console.WriteLine($"  {c.Candidate}: {JsonNames.Of(c.Result)} ({c.Detail})");
    foreach (var (step, time) in outcome.StepTimes) Console.WriteLine($"  {step,-10} {time.TotalSeconds,6:F1} s");
}
