using System.IO.Compression;
using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using CodePairs.Functions.Batches;
using CodePairs.Tests.Shared;
using CodePairs.Functions.Tests.Http;
using CodePairs.Functions.Tests.Storage;
using CodePairs.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodePairs.Functions.Tests.Batches;

/// <summary>A processor on Azurite with its own input/output containers and chunk queue, and helpers to drive it.</summary>
internal sealed class BatchKit
{
    public const string Header = "claim_id,date_of_service,code,mod1,mod2,mod3,mod4,units";

    /// <param name="faults">Installed on the processor's own Blob and Queue clients (the harness's clients stay fault-free).</param>
    public BatchKit(AzuriteFixture azurite, long chunkBytes = 64L * 1024 * 1024, int partBytes = 4 * 1024 * 1024, List<string>? logs = null,
        FaultInjectionPolicy? faults = null, string engine = "parallel")
    {
        Options = new BatchOptions
        {
            ChunkBytes = chunkBytes, PartBytes = partBytes, Engine = engine,
            InputContainer = azurite.NewContainerName("bin"), OutputContainer = azurite.NewContainerName("bout"),
            ChunkQueue = "chunks-" + Guid.NewGuid().ToString("N")[..16],
        };
        Queues = new QueueServiceClient(AzuriteFixture.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        // The processor gets the stores production gives it (BatchStores.Open: its retries), optionally failing.
        var settings = new StorageSettings(StorageNames.Connection, AzuriteFixture.ConnectionString, null, null, null, null, null);
        var stores = BatchesRegistration.Stores(settings, Options, o => { if (faults is not null) FaultInjectionPolicy.Install(o, faults); },
            o => { if (faults is not null) FaultInjectionPolicy.Install(o, faults); });
        Processor = new BatchProcessor(stores, HttpTestKit.ActiveRules(HttpTestKit.Loaded()).Object, Microsoft.Extensions.Options.Options.Create(Options),
            TimeProvider.System, logs is null ? Microsoft.Extensions.Logging.Abstractions.NullLogger<BatchProcessor>.Instance : HttpTestKit.Logger<BatchProcessor>(logs));
        Input = azurite.Blobs.GetBlobContainerClient(Options.InputContainer);
        Output = azurite.Blobs.GetBlobContainerClient(Options.OutputContainer);
        Input.CreateIfNotExists();
    }

    public BatchOptions Options { get; }
    public QueueServiceClient Queues { get; }
    public BatchProcessor Processor { get; }
    public BlobContainerClient Input { get; }
    public BlobContainerClient Output { get; }

    public async Task<BlobClient> Upload(string name, byte[] bytes)
    {
        var blob = Input.GetBlobClient(name);
        await blob.UploadAsync(new BinaryData(bytes), overwrite: true);
        return blob;
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static byte[] Gzip(byte[] bytes)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(bytes);
        return ms.ToArray();
    }

    /// <summary>Starts the batch and, as the host would, runs every chunk message from the queue (in the order given).</summary>
    public async Task<BatchPlan?> Run(BlobClient blob, bool reverseChunks = false, CancellationToken cancellationToken = default)
    {
        var plan = await Processor.StartAsync(blob.BlobContainerName, blob.Name, cancellationToken);
        await Drain(reverseChunks, cancellationToken);
        return plan;
    }

    public async Task<int> Drain(bool reverse = false, CancellationToken cancellationToken = default, int max = int.MaxValue)
    {
        var queue = Queues.GetQueueClient(Options.ChunkQueue);
        if (!(await queue.ExistsAsync(cancellationToken)).Value) return 0;
        var messages = new List<Azure.Storage.Queues.Models.QueueMessage>();
        while (messages.Count < max)
        {
            var batch = (await queue.ReceiveMessagesAsync(Math.Min(32, max - messages.Count), TimeSpan.FromMinutes(5), cancellationToken)).Value;
            if (batch.Length == 0) break;
            messages.AddRange(batch);
        }
        if (reverse) messages.Reverse();
        var n = 0;
        foreach (var m in messages)
        {
            await Processor.ProcessChunkMessageAsync(m.Body.ToString(), cancellationToken);
            await queue.DeleteMessageAsync(m.MessageId, m.PopReceipt, cancellationToken);
            n++;
        }
        return n;
    }

    public async Task<string> Read(BlobClient input, string file)
    {
        var etag = BatchNames.Tag((await input.GetPropertiesAsync()).Value.ETag.ToString());
        var content = await Output.GetBlobClient(BatchNames.Prefix(input.Name, etag) + file).DownloadContentAsync();
        return Encoding.UTF8.GetString(content.Value.Content.ToArray());
    }

    public async Task<BatchSummaryDocument> Summary(BlobClient input)
        => System.Text.Json.JsonSerializer.Deserialize<BatchSummaryDocument>(await Read(input, BatchNames.Summary), BatchJson.Options)!;

    public async Task<string> Id(BlobClient input)
        => BatchNames.Id(input.Name, BatchNames.Tag((await input.GetPropertiesAsync()).Value.ETag.ToString()));

    /// <summary>A CSV of <paramref name="claims"/> claims of 1-4 lines in the test rule set's codes (some with findings, some bad lines).</summary>
    public static string Generate(int claims, string newline = "\n")
    {
        var codes = new[] { "62323", "77003", "99291", "99292", "11042", "97597", "13121", "13120", "17000", "17281" };
        var sb = new StringBuilder(Header).Append(newline);
        var random = new Random(42);
        for (var c = 0; c < claims; c++)
        {
            var lines = 1 + random.Next(4);
            for (var l = 0; l < lines; l++)
            {
                var code = codes[random.Next(codes.Length)];
                if (random.Next(200) == 0) code = "6232"; // a bad code now and then
                var mod = random.Next(5) == 0 ? "59" : "";
                sb.Append("C").Append(c).Append(",2026-08-03,").Append(code).Append(',').Append(mod).Append(",,,,").Append(1 + random.Next(2)).Append(newline);
            }
        }
        return sb.ToString();
    }
}
