// The rule refresh job end to end on a full-size generated CMS release (issue 5):
//   dotnet run -c Release --project bench/CodePairs.Bench.Refresh -- [connection string] [row-per-edit sample rows]
// Generates the FULL release (practitioner + hospital PTP in f1–f4 zips, AOC zip, three MUE zips) with ReleaseGenerator
// into a temp folder, uploads the zips to rules-incoming/<release>/ with a ready marker, runs RefreshJob (discover →
// fetch → parse → write with checkpoints → verify → snapshot → activate → retention) and prints the wall time per
// step and the entity writes; then a second run (nothing new); then a row-per-edit sample write for the ratio.
using System.Diagnostics;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using CodePairs.Functions.Refresh;
using CodePairs.Rules;
using CodePairs.Rules.Cms;
using CodePairs.Rules.Generation;
using CodePairs.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

var connection = args.Length > 0 ? args[0] : "UseDevelopmentStorage=true";
var sampleRows = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
var options = GeneratorOptions.Full() with { ReleaseId = "v322r0" };

var folder = Path.Combine(Path.GetTempPath(), "codepairs-bench-refresh-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(folder);
try
{
    var clock = Stopwatch.StartNew();
    var names = new ReleaseGenerator(options).WriteFiles(name => File.Create(Path.Combine(folder, name)));
    File.Delete(Path.Combine(folder, CmsNames.ManifestName)); // operators drop the CMS zips only
    var files = Directory.GetFiles(folder).Select(f => new FileInfo(f)).OrderBy(f => f.Name).ToList();
    Console.WriteLine($"generated {files.Count} files ({files.Sum(f => f.Length) / 1048576.0:F1} MiB) in {clock.Elapsed.TotalSeconds:F1} s");

    // The SDK retry defaults of the service (StorageClients): exponential, 5 retries, on 408/429/500/502/503/504.
    void Retry(RetryOptions r) { r.Mode = RetryMode.Exponential; r.MaxRetries = 5; r.Delay = TimeSpan.FromMilliseconds(200); r.MaxDelay = TimeSpan.FromSeconds(10); }
    var tableOptions = new TableClientOptions(); Retry(tableOptions.Retry);
    var blobOptions = new BlobClientOptions(); Retry(blobOptions.Retry);
    var tables = new TableServiceClient(connection, tableOptions);
    var blobs = new BlobServiceClient(connection, blobOptions);

    clock.Restart();
    var drop = blobs.GetBlobContainerClient(StorageNames.IncomingContainer);
    await drop.CreateIfNotExistsAsync();
    foreach (var f in files) await drop.GetBlobClient($"{options.ReleaseId}/{f.Name}").UploadAsync(f.FullName, overwrite: true);
    await drop.GetBlobClient($"{options.ReleaseId}/{DropContainerSource.ReadyMarker}").UploadAsync(new BinaryData([]), overwrite: true);
    Console.WriteLine($"uploaded to {StorageNames.IncomingContainer}/{options.ReleaseId}/ in {clock.Elapsed.TotalSeconds:F1} s (not part of the job)");

    var edits = new TableReleaseEditsStore(tables);
    var stores = new RefreshStores(new TableRuleCatalog(tables), edits, new BlobSnapshotStore(blobs), new RefreshJobRow(tables),
        new RefreshCheckpoints(tables), new DropContainerSource(blobs), null);
    var job = new RefreshJob(stores, Options.Create(new RefreshOptions()), TimeProvider.System, NullLogger<RefreshJob>.Instance);

    var written = 0;
    using (var ticker = new Timer(_ => Console.WriteLine($"  … {Volatile.Read(ref written):N0} entities written"), null, 10_000, 10_000))
    {
        clock.Restart();
        var outcome = await job.RunAsync(new RefreshRequest("bench", WriteProgress: new Counter(n => Volatile.Write(ref written, n))), CancellationToken.None);
        var wall = clock.Elapsed;
        foreach (var c in outcome.Candidates) Console.WriteLine($"candidate {c.Candidate}: {c.Result} ({c.Detail})");
        Console.WriteLine($"job: {outcome.Status.State}, wall {wall.TotalSeconds:F1} s, entity writes {outcome.EntityWrites:N0} (of {outcome.Status.EntitiesTotal:N0} planned)");
        foreach (var (step, time) in outcome.StepTimes) Console.WriteLine($"  {step,-10} {time.TotalSeconds,6:F1} s");
        var checkpoints = 0;
        await foreach (var _ in tables.GetTableClient(StorageNames.CatalogTable).QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey ge {"checkpoint-"} and PartitionKey lt {"checkpoint-~"}"), select: ["RowKey"])) checkpoints++;
        Console.WriteLine($"checkpoint entities (one per committed RuleEdits partition, written 100 per transaction): {checkpoints:N0}");
    }

    clock.Restart();
    var again = await job.RunAsync(new RefreshRequest("bench"), CancellationToken.None);
    Console.WriteLine($"second run (same files): {string.Join("; ", again.Candidates.Select(c => $"{c.Result}: {c.Detail}"))}; " +
                      $"{again.EntityWrites} entity writes, wall {clock.Elapsed.TotalSeconds:F1} s");

    // Row-per-edit over a sample of the same release, same planner and writer: one entity per PTP row.
    var set = RuleSet.Build(ReleaseGenerator.Build(options));
    var release = set.Releases[0];
    var rowTable = tables.GetTableClient("RuleEditsRowBench");
    await rowTable.CreateIfNotExistsAsync();
    var batches = TableBatchPlanner.Plan(RowPerEdit.Entities(release, set.Codes, sampleRows).ToList());
    clock.Restart();
    var (rowEntities, rowTransactions) = await TableBatchWriter.WriteAsync(rowTable, batches, null, CancellationToken.None);
    var rowWall = clock.Elapsed;
    var totalRows = release.Components.Sum(c => (long)c.Rows);
    var factor = (double)totalRows / rowEntities;
    Console.WriteLine($"row-per-edit sample: {rowEntities:N0} entities in {rowTransactions:N0} transactions, wall {rowWall.TotalSeconds:F1} s ({rowEntities / rowWall.TotalSeconds:N0} entities/s)");
    Console.WriteLine($"row-per-edit extrapolated (x{factor:F1}) to all {totalRows:N0} rows: ~{rowEntities * factor:N0} entity writes, ~{rowWall.TotalSeconds * factor / 60:F1} min " +
                      "(linear extrapolation of the sample, not measured)");
    await rowTable.DeleteAsync();
}
finally
{
    Directory.Delete(folder, recursive: true);
}

internal sealed class Counter(Action<int> report) : IProgress<int>
{
    public void Report(int value) => report(value);
}
