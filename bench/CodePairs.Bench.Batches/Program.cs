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

// Usage: dotnet run -c Release --project bench/CodePairs.Bench.Batches -- [--lines 1000000] [--chunk-mib 64] [--workers 2] [--faults 0.1]
//        ... -- chaos run|clean ...   (the kill -9 / rerun checks: scripts/chaos.sh)
//        ... -- hostile [--full]      (peak memory on the hostile files of issue 11)
// Needs Azurite on 127.0.0.1 (bash scripts/azurite.sh start).
if (args.FirstOrDefault() == "chaos") return await Chaos.RunAsync(args[1..]);
if (args.FirstOrDefault() == "hostile") return await Hostile.RunAsync(args[1..]);
var lines = Arg("--lines", 1_000_000L);
var chunkMiB = Arg("--chunk-mib", 64L);
var workers = (int)Arg("--workers", 2L);
const string cs = "UseDevelopmentStorage=true";

var rules = ReleaseGenerator.Build(GeneratorOptions.Small(seed: 7)).Build();
var loaded = new LoadedRules(rules, new ClaimValidator(rules), "rs-bench", DateTimeOffset.UtcNow);

// 1. A CSV of claims of 1-8 lines over the generated release's codes (streamed to a temp file, not held in memory).
var path = Path.Combine(Path.GetTempPath(), $"codepairs-batch-{lines}.csv");
var clock = Stopwatch.StartNew();
BatchFile.Generate(path, lines, rules);
var bytes = new FileInfo(path).Length;
Console.WriteLine($"generated {lines:N0} lines, {bytes / 1048576.0:N1} MiB in {clock.Elapsed.TotalSeconds:N1} s");

if (args.Contains("--engine-only"))
{
    // The engine alone (file -> BatchReader -> validator -> rows to a null stream): the ceiling for the storage path.
    clock.Restart();
    using var file = File.OpenRead(path);
    var summary = CodePairs.Rules.Batch.BatchCheck.Run(new CodePairs.Rules.Batch.BatchReader(file, CodePairs.Rules.Batch.BatchFormat.Csv),
        loaded.Validator, new StreamWriter(Stream.Null), new StreamWriter(Stream.Null));
    Console.WriteLine($"engine only: {summary.LinesIn:N0} lines in {clock.Elapsed.TotalSeconds:N2} s = {summary.LinesIn / clock.Elapsed.TotalSeconds:N0} lines/s");
    File.Delete(path);
    return 0;
}

var tag = Guid.NewGuid().ToString("N")[..10];
var options = new BatchOptions
{
    ChunkBytes = chunkMiB * 1024 * 1024, InputContainer = "bench-in-" + tag, OutputContainer = "bench-out-" + tag, ChunkQueue = "bench-chunks-" + tag,
};
var blobs = new BlobServiceClient(cs);
var queues = new QueueServiceClient(cs, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
var input = blobs.GetBlobContainerClient(options.InputContainer);
await input.CreateIfNotExistsAsync();
// The processor gets the door's own clients (BatchStorage retries), failing a share of requests with --faults.
var faultRate = args.Contains("--faults") ? double.Parse(args[Array.IndexOf(args, "--faults") + 1], System.Globalization.CultureInfo.InvariantCulture) : 0;
var faults = new CodePairs.Tests.Shared.FaultInjectionPolicy(faultRate, seed: 11);
var settings = new CodePairs.Storage.StorageSettings("CodePairsStorage", cs, null, null, null, null, null);
var processor = new BatchProcessor(BatchStorage.Blobs(settings, o => CodePairs.Tests.Shared.FaultInjectionPolicy.Install(o, faults)),
    BatchStorage.Queues(settings, o => CodePairs.Tests.Shared.FaultInjectionPolicy.Install(o, faults)),
    new FixedRules(loaded), Options.Create(options), TimeProvider.System, NullLogger<BatchProcessor>.Instance);

try
{
    // 2. Upload (what the partner does), 3. the trigger body plus the chunk workers the host would run.
    clock.Restart();
    var blob = input.GetBlobClient("bench.csv");
    await blob.UploadAsync(path, new Azure.Storage.Blobs.Models.BlobUploadOptions
    {
        TransferOptions = new Azure.Storage.StorageTransferOptions { MaximumConcurrency = 4, MaximumTransferSize = 8 * 1024 * 1024 },
    });
    var upload = clock.Elapsed;
    clock.Restart();
    var plan = await processor.StartAsync(blob, CancellationToken.None) ?? throw new InvalidOperationException("nothing to do");
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
    var status = await processor.GetStatusAsync(plan.Id, CancellationToken.None);
    var s = status?.Summary ?? throw new InvalidOperationException("no summary written");
    Console.WriteLine($"status {s.Status}: {s.LinesIn:N0} lines in = {s.LinesValidated:N0} validated + {s.LinesRejected:N0} rejected; {s.Claims:N0} claims, {s.ClaimsClean:N0} clean; chunks {s.Chunks}");
    Console.WriteLine($"upload {upload.TotalSeconds:N1} s; trigger body to results committed {processing.TotalSeconds:N1} s (trigger body alone {planned.TotalSeconds:N1} s: plan, or plan + the whole one-chunk file)");
    Console.WriteLine($"lines/s: processing {s.LinesIn / processing.TotalSeconds:N0}; upload + processing {s.LinesIn / (upload + processing).TotalSeconds:N0}");
    if (faultRate > 0)
        Console.WriteLine($"faults {faultRate:P0}: {faults.InjectedTotal} of {faults.Requests} requests ({string.Join(", ", faults.Injected.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}"))})");
    Console.WriteLine($"results sha256 {Sha256(processor.Output.GetBlobClient(BatchNames.Prefix("bench.csv", s.Input.ETag) + BatchNames.Results))}, " +
                      $"rejected sha256 {Sha256(processor.Output.GetBlobClient(BatchNames.Prefix("bench.csv", s.Input.ETag) + BatchNames.Rejected))}");
    Console.WriteLine($"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:N0} MiB (file {bytes / 1048576.0:N0} MiB); GC heap now {GC.GetTotalMemory(false) / 1048576.0:N0} MiB");
}
finally
{
    await input.DeleteIfExistsAsync();
    await processor.Output.DeleteIfExistsAsync();
    await queues.GetQueueClient(options.ChunkQueue).DeleteIfExistsAsync();
    File.Delete(path);
}

return 0;

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
