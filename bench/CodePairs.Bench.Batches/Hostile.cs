using System.Diagnostics;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using CodePairs.Functions.Batches;
using CodePairs.Functions.RuleSets;
using CodePairs.Functions.Tests.Batches;
using CodePairs.Rules;
using CodePairs.Rules.Generation;
using CodePairs.Rules.Tests.Batch;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

/// <summary>
/// Peak resident memory while the batch processor meets the hostile files of issue 11 on Azurite (point 3):
/// <c>hostile [--full]</c>. Each file runs in this process with default limits unless said; the working set is
/// sampled every 20 ms. --full adds 2M lines of one claim id (2M rejections written) and a 1M-line ordinary file.
/// </summary>
internal static class Hostile
{
    private const long GiB = 1024L * 1024 * 1024;
    private const string Header = "claim_id,date_of_service,code,mod1,mod2,mod3,mod4,units\n";
    private const string Line = "A1,2026-08-03,62323,,,,,1\n";

    public static async Task<int> RunAsync(string[] args)
    {
        var full = args.Contains("--full");
        var rules = ReleaseGenerator.Build(GeneratorOptions.Small(seed: 7)).Build();
        var loaded = new LoadedRules(rules, new ClaimValidator(rules), "rs-bench", DateTimeOffset.UnixEpoch);
        var blobs = new BlobServiceClient("UseDevelopmentStorage=true");
        var queues = new QueueServiceClient("UseDevelopmentStorage=true", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        using var memory = new MemorySampler();
        Console.WriteLine($"baseline (rule set loaded): {memory.Peak / 1048576.0:N0} MiB");

        var cases = new List<(string Name, Func<byte[]> Bytes, bool OpenRatio)>
        {
            ("bomb.csv.gz: 1 GiB of one claim id on 41M lines, gzipped", () => RepeatStream.Gzip(new RepeatStream(Header, Line, GiB / Line.Length)), false),
            ("zeros.csv.gz: 1 GiB of zero bytes, gzipped", () => RepeatStream.Gzip(new RepeatStream([], new byte[1 << 20], 1024, [])), false),
            ("longline.csv.gz: a 1 GiB claims line (ratio cap off)", () => RepeatStream.Gzip(new RepeatStream(Header + "B2,", "x", GiB, "\n" + Line)), true),
        };
        if (full)
        {
            cases.Add(("oneclaim.csv: 2M lines of one claim id", () => Bytes(new RepeatStream(Header, Line, 2_000_000, "B2,2026-08-03,99291,,,,,1\n")), false));
            cases.Add(("ordinary.csv: 1M lines", () =>
            {
                var path = Path.GetTempFileName();
                BatchFile.Generate(path, 1_000_000, rules);
                var b = File.ReadAllBytes(path);
                File.Delete(path);
                return b;
            }, false));
        }

        var peakOverall = 0L;
        foreach (var (name, make, openRatio) in cases)
        {
            var tag = Guid.NewGuid().ToString("N")[..10];
            var options = new BatchOptions
            {
                ChunkBytes = 4 * 1024 * 1024, InputContainer = "hostile-in-" + tag, OutputContainer = "hostile-out-" + tag, ChunkQueue = "hostile-" + tag,
                GzipMaxRatio = openRatio ? int.MaxValue : new BatchOptions().GzipMaxRatio,
            };
            var input = blobs.GetBlobContainerClient(options.InputContainer);
            await input.CreateIfNotExistsAsync();
            var processor = new BatchProcessor(BatchesRegistration.Stores(new CodePairs.Storage.StorageSettings("CodePairsStorage", "UseDevelopmentStorage=true", null, null, null, null, null), options),
                new FixedRules(loaded), Options.Create(options), TimeProvider.System, NullLogger<BatchProcessor>.Instance);
            var output = blobs.GetBlobContainerClient(options.OutputContainer);
            try
            {
                var bytes = make();
                var blob = input.GetBlobClient(name.Split(':')[0]);
                await blob.UploadAsync(new BinaryData(bytes));
                bytes = null;
                GC.Collect();
                memory.Reset();
                var clock = Stopwatch.StartNew();
                await processor.StartAsync(blob.BlobContainerName, blob.Name, CancellationToken.None);
                var queue = queues.GetQueueClient(options.ChunkQueue);
                if ((await queue.ExistsAsync()).Value)
                    while ((await queue.ReceiveMessagesAsync(1, TimeSpan.FromMinutes(10))).Value is { Length: 1 } m)
                    {
                        await processor.ProcessChunkMessageAsync(m[0].Body.ToString(), CancellationToken.None);
                        await queue.DeleteMessageAsync(m[0].MessageId, m[0].PopReceipt);
                    }
                var id = BatchNames.Id(blob.Name, BatchNames.Tag((await blob.GetPropertiesAsync()).Value.ETag.ToString()));
                var s = (await processor.GetStatusAsync(id, CancellationToken.None))?.Summary;
                var peak = memory.Peak;
                peakOverall = Math.Max(peakOverall, peak);
                Console.WriteLine($"{name}: {s?.Status} in {clock.Elapsed.TotalSeconds:N1} s, {s?.LinesIn:N0} lines in = {s?.LinesValidated:N0} validated + {s?.LinesRejected:N0} rejected; " +
                                  $"peak working set {peak / 1048576.0:N0} MiB{(s?.Error is { } e ? $"; error: {e}" : "")}");
            }
            finally
            {
                await input.DeleteIfExistsAsync();
                await output.DeleteIfExistsAsync();
                await queues.GetQueueClient(options.ChunkQueue).DeleteIfExistsAsync();
            }
        }
        Console.WriteLine($"peak working set over all files: {peakOverall / 1048576.0:N0} MiB (limit 1,024 MiB)");
        return peakOverall <= GiB ? 0 : 1;
    }

    private static byte[] Bytes(Stream s)
    {
        var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }
}
