using System.Diagnostics;
using System.Security.Cryptography;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using CodePairs.Functions.Batches;
using CodePairs.Functions.RuleSets;
using CodePairs.Rules;
using CodePairs.Rules.Generation;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

/// <summary>
/// The batch half of the kill -9 / rerun checks (issue 11, point 5; driven by scripts/chaos.sh):
/// <c>chaos run --tag T [--lines N] [--chunk-mib M] [--workers W] [--kill-at POINT]</c> runs a batch as the host would
/// (the blob trigger's body, then W workers on the chunk queue) and, with --kill-at, SIGKILLs its own process the moment
/// the protocol reaches POINT (one of <see cref="BatchProcessor.CrashPoints"/>). Run again with the same tag, it is the
/// host's redelivery: the same input blob (same ETag), the messages left behind. It prints one OUTCOME line (status,
/// counts, SHA-256 of results.csv and rejected.csv) to compare with an uninterrupted run. <c>chaos clean --tag T</c>
/// deletes the tag's containers and queue.
/// </summary>
internal static class Chaos
{
    private const string Connection = "UseDevelopmentStorage=true";

    public static async Task<int> RunAsync(string[] args)
    {
        var tag = Value(args, "--tag") ?? throw new ArgumentException("--tag is required");
        var blobs = new BlobServiceClient(Connection);
        var queues = new QueueServiceClient(Connection, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var options = new BatchOptions
        {
            ChunkBytes = long.Parse(Value(args, "--chunk-mib") ?? "4") * 1024 * 1024,
            InputContainer = $"chaos-in-{tag}", OutputContainer = $"chaos-out-{tag}", ChunkQueue = $"chaos-chunks-{tag}",
        };
        if (args.FirstOrDefault() == "clean")
        {
            await blobs.GetBlobContainerClient(options.InputContainer).DeleteIfExistsAsync();
            await blobs.GetBlobContainerClient(options.OutputContainer).DeleteIfExistsAsync();
            await queues.GetQueueClient(options.ChunkQueue).DeleteIfExistsAsync();
            return 0;
        }

        var lines = long.Parse(Value(args, "--lines") ?? "1000000");
        var workers = int.Parse(Value(args, "--workers") ?? "2");
        var killAt = Value(args, "--kill-at");
        var rules = ReleaseGenerator.Build(GeneratorOptions.Small(seed: 7)).Build();
        var loaded = new LoadedRules(rules, new ClaimValidator(rules), "rs-bench", DateTimeOffset.UnixEpoch);

        // The same input for every run of a tag: uploaded once (a re-upload would be a new ETag, a new batch).
        var input = blobs.GetBlobContainerClient(options.InputContainer);
        await input.CreateIfNotExistsAsync();
        var blob = input.GetBlobClient("chaos.csv");
        if (!(await blob.ExistsAsync()).Value)
        {
            var path = Path.Combine(Path.GetTempPath(), $"codepairs-chaos-{lines}.csv");
            if (!File.Exists(path)) BatchFile.Generate(path, lines, rules);
            await blob.UploadAsync(path, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = Azure.ETag.All } });
        }

        var processor = new BatchProcessor(BatchesRegistration.Stores(new CodePairs.Storage.StorageSettings("CodePairsStorage", Connection, null, null, null, null, null), options),
            new FixedRules(loaded), Options.Create(options), TimeProvider.System, NullLogger<BatchProcessor>.Instance);
        var output = blobs.GetBlobContainerClient(options.OutputContainer);
        processor.AtPoint = point =>
        {
            if (point != killAt) return;
            Console.WriteLine($"KILLED at {point}");
            Console.Out.Flush();
            Process.GetCurrentProcess().Kill(); // SIGKILL: no finally, no flush, no dispose
        };

        var clock = Stopwatch.StartNew();
        var plan = await processor.StartAsync(blob.BlobContainerName, blob.Name, CancellationToken.None); // null on a rerun after the summary was written
        var etag = BatchNames.Tag((await blob.GetPropertiesAsync()).Value.ETag.ToString());
        var summaryBlob = output.GetBlobClient(BatchNames.Prefix(blob.Name, etag) + BatchNames.Summary);
        var queue = queues.GetQueueClient(options.ChunkQueue);
        await queue.CreateIfNotExistsAsync();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            // Messages a killed run had taken reappear after their 10 s visibility timeout, as the host's do.
            while (!(await summaryBlob.ExistsAsync()).Value)
            {
                if (clock.Elapsed > TimeSpan.FromMinutes(10)) throw new TimeoutException("the batch did not finish in 10 minutes");
                var m = (await queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(10))).Value;
                if (m.Length == 0) { await Task.Delay(250); continue; }
                await processor.ProcessChunkMessageAsync(m[0].Body.ToString(), CancellationToken.None);
                await queue.DeleteMessageAsync(m[0].MessageId, m[0].PopReceipt);
            }
        })));

        var s = System.Text.Json.JsonSerializer.Deserialize<BatchSummaryDocument>((await summaryBlob.DownloadContentAsync()).Value.Content.ToString(), BatchJson.Options)!;
        var prefix = BatchNames.Prefix(blob.Name, etag);
        Console.WriteLine($"OUTCOME status={s.Status} chunks={s.Chunks} linesIn={s.LinesIn} validated={s.LinesValidated} rejected={s.LinesRejected} " +
                          $"claims={s.Claims} clean={s.ClaimsClean} results={await Sha256(output.GetBlobClient(prefix + BatchNames.Results))} " +
                          $"rejectedFile={await Sha256(output.GetBlobClient(prefix + BatchNames.Rejected))}");
        Console.Error.WriteLine($"{(plan is null ? "rerun found the batch finished" : "ran")} in {clock.Elapsed.TotalSeconds:N1} s");
        return 0;
    }

    private static async Task<string> Sha256(BlobClient blob)
    {
        await using var stream = await blob.OpenReadAsync();
        return Convert.ToHexString(await SHA256.HashDataAsync(stream));
    }

    private static string? Value(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
