using System.Diagnostics;
using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using CodePairs.Functions.Batches;
using CodePairs.Functions.RuleSets;
using CodePairs.Rules;
using CodePairs.Rules.Generation;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

// Usage: dotnet run -c Release --project bench/CodePairs.Bench.Batches -- [--lines 1000000] [--format csv|jsonl] [--gzip]
//            [--engine both|reference|parallel] [--runs 3] [--chunk-mib 64] [--workers 2] [--faults 0.1] [--engine-only] [--no-upload-md5]
//        ... -- chaos run|clean ...   (the kill -9 / rerun checks: scripts/chaos.sh)
//        ... -- hostile [--full]      (peak memory on the hostile files of issue 11)
//        ... -- storage-probe [--mib 256] [--runs 3]   (what Azurite alone moves: reads, ranged reads, upload; its CPU time)
// Needs Azurite on 127.0.0.1 (bash scripts/azurite.sh start). With --engine both, each run processes the same uploaded
// blob with each engine (the order alternates between runs), so the previous implementation is measured side by side.
if (args.FirstOrDefault() == "chaos") return await Chaos.RunAsync(args[1..]);
if (args.FirstOrDefault() == "hostile") return await Hostile.RunAsync(args[1..]);
if (args.FirstOrDefault() == "storage-probe") return await StorageProbe.RunAsync(args[1..]);
if (args.FirstOrDefault() == "clean")
{
    // ... -- clean <since, ISO 8601>: deletes this bench's containers (bench-in-*, bench-out-*) made since then, left by a killed run.
    var since = DateTimeOffset.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
    var service = new BlobServiceClient("UseDevelopmentStorage=true");
    await foreach (var c in service.GetBlobContainersAsync(prefix: "bench-"))
        if ((c.Name.StartsWith("bench-in-", StringComparison.Ordinal) || c.Name.StartsWith("bench-out-", StringComparison.Ordinal)) && c.Properties.LastModified >= since)
        {
            Console.WriteLine($"deleting {c.Name} ({c.Properties.LastModified:u})");
            await service.DeleteBlobContainerAsync(c.Name);
        }
    return 0;
}
var lines = Arg("--lines", 1_000_000L);
var chunkMiB = Arg("--chunk-mib", 64L);
var workers = (int)Arg("--workers", 2L);
var runs = (int)Arg("--runs", 1L);
var jsonl = ArgText("--format", "csv") == "jsonl";
var gzip = args.Contains("--gzip");
var engines = ArgText("--engine", "both") switch { "both" => new[] { "reference", "parallel" }, var e => [e] };
const string cs = "UseDevelopmentStorage=true";

var rules = ReleaseGenerator.Build(GeneratorOptions.Small(seed: 7)).Build();
var loaded = new LoadedRules(rules, new ClaimValidator(rules), "rs-bench", DateTimeOffset.UtcNow);

// 1. A file of claims of 1-8 lines over the generated release's codes (streamed to a temp file, not held in memory).
var blobName = "bench" + (jsonl ? ".jsonl" : ".csv") + (gzip ? ".gz" : "");
var path = Path.Combine(Path.GetTempPath(), $"codepairs-batch-{Environment.ProcessId}-{lines}{(jsonl ? ".jsonl" : ".csv")}");
var clock = Stopwatch.StartNew();
if (jsonl) BatchFile.GenerateJsonLines(path, lines, rules);
else BatchFile.Generate(path, lines, rules);
if (gzip)
{
    BatchFile.Gzip(path, path + ".gz");
    File.Delete(path);
    path += ".gz";
}
var bytes = new FileInfo(path).Length;
Console.WriteLine($"generated {lines:N0} lines ({blobName}), {bytes / 1048576.0:N1} MiB in {clock.Elapsed.TotalSeconds:N1} s; {Environment.ProcessorCount} cores, load average {LoadAverage()}");

if (args.Contains("--engine-only"))
{
    // The engine alone (file -> engine -> rows to a null stream): the ceiling for the storage path.
    var format = jsonl ? CodePairs.Rules.Batch.BatchFormat.JsonLines : CodePairs.Rules.Batch.BatchFormat.Csv;
    for (var run = 0; run < runs; run++)
        foreach (var engine in run % 2 == 0 ? engines : engines.Reverse())
        {
            GC.Collect();
            clock.Restart();
            using Stream raw = File.OpenRead(path);
            using var file = gzip ? new CodePairs.Rules.Batch.GzipInputStream(raw, CodePairs.Rules.Batch.GzipLimits.Default) : raw;
            var timings = new CodePairs.Rules.Batch.BatchTimings();
            var summary = engine == "reference"
                ? CodePairs.Rules.Batch.BatchCheck.Run(new CodePairs.Rules.Batch.BatchReader(file, format), loaded.Validator, new StreamWriter(Stream.Null), new StreamWriter(Stream.Null))
                : CodePairs.Rules.Batch.ParallelBatchCheck.Run(file, format, Setting.Practitioner, null, loaded.Validator, Stream.Null, Stream.Null, timings: timings);
            Console.WriteLine($"run {run + 1} {engine,-9} engine only: {summary.LinesIn:N0} lines in {clock.Elapsed.TotalSeconds:N2} s = {summary.LinesIn / clock.Elapsed.TotalSeconds:N0} lines/s" +
                              (engine == "parallel" ? $"; {timings}" : ""));
        }
    File.Delete(path);
    return 0;
}

// Warm-up: both engines over a small file of the same format, so neither measured run pays the JIT (the host would be warm too).
{
    var warm = path + ".warm";
    if (jsonl) BatchFile.GenerateJsonLines(warm, 100_000, rules);
    else BatchFile.Generate(warm, 200_000, rules);
    var format = jsonl ? CodePairs.Rules.Batch.BatchFormat.JsonLines : CodePairs.Rules.Batch.BatchFormat.Csv;
    for (var i = 0; i < 2; i++)
    {
        using (var f = File.OpenRead(warm))
            CodePairs.Rules.Batch.BatchCheck.Run(new CodePairs.Rules.Batch.BatchReader(f, format), loaded.Validator, new StreamWriter(Stream.Null), new StreamWriter(Stream.Null));
        using (var f = File.OpenRead(warm))
            CodePairs.Rules.Batch.ParallelBatchCheck.Run(f, format, Setting.Practitioner, null, loaded.Validator, Stream.Null, Stream.Null);
    }
    File.Delete(warm);
}

var tag = Guid.NewGuid().ToString("N")[..10];
var blobs = new BlobServiceClient(cs);
var queues = new QueueServiceClient(cs, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
var inputName = "bench-in-" + tag;
var input = blobs.GetBlobContainerClient(inputName);
await input.CreateIfNotExistsAsync();
// The processor gets the door's own stores (BatchStores.Open: its retries), failing a share of requests with --faults.
var faultRate = args.Contains("--faults") ? double.Parse(args[Array.IndexOf(args, "--faults") + 1], System.Globalization.CultureInfo.InvariantCulture) : 0;
var faults = new CodePairs.Tests.Shared.FaultInjectionPolicy(faultRate, seed: 11);
var noUploadMd5 = args.Contains("--no-upload-md5");
var settings = new CodePairs.Storage.StorageSettings("CodePairsStorage", cs, null, null, null, null, null);
var cleanup = new List<Func<Task>> { () => input.DeleteIfExistsAsync() };
var azurite = StorageProbe.AzuritePid();

try
{
    // 2. Upload (what the partner does), once; 3. per engine and run, the trigger body plus the chunk workers the host would run.
    clock.Restart();
    var blob = input.GetBlobClient(blobName);
    await blob.UploadAsync(path, new Azure.Storage.Blobs.Models.BlobUploadOptions
    {
        TransferOptions = new Azure.Storage.StorageTransferOptions { MaximumConcurrency = 4, MaximumTransferSize = 8 * 1024 * 1024 },
    });
    var upload = clock.Elapsed;
    File.Delete(path);
    Console.WriteLine($"upload {upload.TotalSeconds:N1} s ({bytes / 1048576.0 / upload.TotalSeconds:N0} MiB/s)");
    for (var run = 0; run < runs; run++)
        foreach (var engine in run % 2 == 0 ? engines : engines.Reverse())
        {
            var options = new BatchOptions
            {
                ChunkBytes = chunkMiB * 1024 * 1024, InputContainer = inputName, OutputContainer = $"bench-out-{tag}-{run}-{engine}",
                ChunkQueue = $"bench-chunks-{tag}-{run}-{engine}", Engine = engine,
            };
            var processor = new BatchProcessor(BatchesRegistration.Stores(settings, options, o =>
                    {
                        CodePairs.Tests.Shared.FaultInjectionPolicy.Install(o, faults);
                        // --no-upload-md5: staged blocks without the transactional MD5 the service's clients send
                        // (StorageRetry.ConfigureUploads), i.e. as before 2026-12-03 18:00 UTC, for side-by-side figures.
                        if (noUploadMd5) o.TransferValidation.Upload.ChecksumAlgorithm = Azure.Storage.StorageChecksumAlgorithm.None;
                    },
                    o => CodePairs.Tests.Shared.FaultInjectionPolicy.Install(o, faults)),
                new FixedRules(loaded), Options.Create(options), TimeProvider.System, NullLogger<BatchProcessor>.Instance)
            { Timings = new CodePairs.Rules.Batch.BatchTimings() };
            var output = blobs.GetBlobContainerClient(options.OutputContainer);
            cleanup.Add(() => output.DeleteIfExistsAsync());
            cleanup.Add(() => queues.GetQueueClient(options.ChunkQueue).DeleteIfExistsAsync());
            GC.Collect();
            GC.WaitForPendingFinalizers();
            using var sampler = new PeakSampler();
            var azuriteBefore = StorageProbe.AzuriteCpu(azurite);
            var ownBefore = Process.GetCurrentProcess().TotalProcessorTime;
            clock.Restart();
            var plan = await processor.StartAsync(blob.BlobContainerName, blob.Name, CancellationToken.None) ?? throw new InvalidOperationException("nothing to do");
            var planned = clock.Elapsed;
            if (plan.Chunks.Count > 1)
            {
                var queue = queues.GetQueueClient(options.ChunkQueue);
                await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
                {
                    while (true)
                    {
                        var m = (await queue.ReceiveMessagesAsync(1, TimeSpan.FromMinutes(10))).Value;
                        if (m.Length == 0) return;
                        await processor.ProcessChunkMessageAsync(m[0].Body.ToString(), CancellationToken.None);
                        await queue.DeleteMessageAsync(m[0].MessageId, m[0].PopReceipt);
                    }
                })));
            }
            var processing = clock.Elapsed;
            var peak = sampler.Stop();
            var azuriteCpu = StorageProbe.AzuriteCpu(azurite) - azuriteBefore;
            var ownCpu = (Process.GetCurrentProcess().TotalProcessorTime - ownBefore).TotalSeconds;
            var status = await processor.GetStatusAsync(plan.Id, CancellationToken.None);
            var s = status?.Summary ?? throw new InvalidOperationException("no summary written");
            var prefix = BatchNames.Prefix(blobName, s.Input.ETag);
            Console.WriteLine($"run {run + 1} {engine,-9} {s.Status}: {s.LinesIn:N0} lines in = {s.LinesValidated:N0} validated + {s.LinesRejected:N0} rejected; " +
                              $"{s.Claims:N0} claims, {s.ClaimsClean:N0} clean; chunks {s.Chunks}");
            Console.WriteLine($"run {run + 1} {engine,-9} processing {processing.TotalSeconds:N2} s = {s.LinesIn / processing.TotalSeconds:N0} lines/s " +
                              $"(trigger body {planned.TotalSeconds:N2} s: {(plan.Chunks.Count > 1 ? "the planning pass" : "the whole one-chunk file")}); " +
                              $"with the upload {s.LinesIn / (upload + processing).TotalSeconds:N0} lines/s; peak working set {peak / 1048576.0:N0} MiB; load average {LoadAverage()}");
            if (engine == "parallel") Console.WriteLine($"run {run + 1} {engine,-9} where the time went: {processor.Timings}");
            var resultsBytes = (await output.GetBlobClient(prefix + BatchNames.Results).GetPropertiesAsync()).Value.ContentLength;
            var rejectedBytes = (await output.GetBlobClient(prefix + BatchNames.Rejected).GetPropertiesAsync()).Value.ContentLength;
            Console.WriteLine($"run {run + 1} {engine,-9} CPU: this process {ownCpu:N2} s, Azurite {azuriteCpu:N2} s (of {Environment.ProcessorCount * processing.TotalSeconds:N2} core-seconds on {Environment.ProcessorCount} cores); " +
                              $"bytes: {bytes / 1048576.0:N0} MiB in, results {resultsBytes / 1048576.0:N0} MiB + rejected {rejectedBytes / 1048576.0:N1} MiB out");
            Console.WriteLine($"run {run + 1} {engine,-9} results sha256 {Sha256(output.GetBlobClient(prefix + BatchNames.Results))}, " +
                              $"rejected sha256 {Sha256(output.GetBlobClient(prefix + BatchNames.Rejected))}");
            await output.DeleteIfExistsAsync();
        }
    if (faultRate > 0)
        Console.WriteLine($"faults {faultRate:P0}: {faults.InjectedTotal} of {faults.Requests} requests ({string.Join(", ", faults.Injected.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}"))})");
    Console.WriteLine($"process peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:N0} MiB (file {bytes / 1048576.0:N0} MiB); GC heap now {GC.GetTotalMemory(false) / 1048576.0:N0} MiB");
}
finally
{
    foreach (var c in cleanup) await c();
    File.Delete(path);
}

return 0;

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]) : "?";

string ArgText(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

static string Sha256(BlobClient blob)
{
    using var stream = blob.OpenRead();
    return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(stream))[..16];
}

long Arg(string name, long fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? long.Parse(args[i + 1]) : fallback;
}

internal sealed class FixedRules(LoadedRules loaded) : IActiveRules
{
    public LoadedRules? Current => loaded;
    public ValueTask<LoadedRules?> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult<LoadedRules?>(loaded);
}

/// <summary>The largest working set seen (sampled every 20 ms) while it runs: one engine's peak within the process.</summary>
internal sealed class PeakSampler : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _task;
    private long _peak;

    public PeakSampler()
    {
        _task = Task.Run(async () =>
        {
            using var process = Process.GetCurrentProcess();
            while (!_stop.IsCancellationRequested)
            {
                process.Refresh();
                _peak = Math.Max(_peak, process.WorkingSet64);
                try { await Task.Delay(20, _stop.Token); } catch (OperationCanceledException) { }
            }
        });
    }

    public long Stop()
    {
        _stop.Cancel();
        _task.Wait();
        return _peak;
    }

    public void Dispose()
    {
        if (!_stop.IsCancellationRequested) Stop();
        _stop.Dispose();
    }
}
