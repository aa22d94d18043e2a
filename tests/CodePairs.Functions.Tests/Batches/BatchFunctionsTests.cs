using System.Text;
using CodePairs.Functions.Batches;
using CodePairs.Functions.Tests.Http;
using CodePairs.Functions.Tests.Storage;
using Microsoft.AspNetCore.Http;

namespace CodePairs.Functions.Tests.Batches;

public class BatchFunctionsTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static HttpRequest Post(byte[] body, string contentType, string? encoding = null)
    {
        var request = HttpTestKit.Request("POST");
        request.Body = new MemoryStream(body);
        request.ContentLength = body.Length;
        request.ContentType = contentType;
        if (encoding is not null) request.Headers.ContentEncoding = encoding;
        return request;
    }

    [Fact]
    public async Task APostedFileIsStoredQueuedAndAfterTheBlobTriggerReportsItsResults()
    {
        AzuriteFixture.RequireAzurite();
        var kit = new BatchKit(azurite);
        var functions = new BatchFunctions(kit.Processor);
        var csv = BatchKit.Header + "\nA1,2026-08-03,62323,,,,,1\nA1,2026-08-03,77003,,,,,1\nB2,2026-08-03,99291,,,,,x\n";
        var request = Post(BatchKit.Gzip(Encoding.UTF8.GetBytes(csv)), "text/csv", "gzip");
        var (status, body, headers) = await HttpTestKit.Execute(await functions.SubmitBatch(request, CancellationToken.None), request);
        Assert.Equal(202, status);
        var id = body.GetProperty("id").GetString()!;
        Assert.Equal($"/api/v1/batches/{id}", headers.Location.ToString());
        Assert.Equal("queued", body.GetProperty("status").GetString());
        Assert.True(BatchNames.TryParseId(id, out var name, out _));
        Assert.EndsWith(".csv.gz", name);

        var get = HttpTestKit.Request("GET");
        var (s1, b1, _) = await HttpTestKit.Execute(await functions.BatchStatus(get, id, CancellationToken.None), get);
        Assert.Equal((200, "queued"), (s1, b1.GetProperty("status").GetString()));

        // What Event Grid's BlobCreated does in Azure (scripts/fire-blob-event.sh locally).
        await functions.ValidateBatchBlob(kit.Input.GetBlobClient(name), CancellationToken.None);
        get = HttpTestKit.Request("GET");
        var (s2, b2, _) = await HttpTestKit.Execute(await functions.BatchStatus(get, id, CancellationToken.None), get);
        Assert.Equal((200, "completed"), (s2, b2.GetProperty("status").GetString()));
        Assert.Equal(3, b2.GetProperty("linesIn").GetInt64());
        Assert.Equal(3, b2.GetProperty("linesProcessed").GetInt64());
        Assert.Equal(1, b2.GetProperty("summary").GetProperty("linesRejected").GetInt64());
        Assert.EndsWith($"{name}.{id.Split('.')[^1]}/results.csv", b2.GetProperty("outputs").GetProperty("results").GetString());
    }

    [Fact]
    public async Task TheQueueFunctionsTakeTheirMessagesBoundAsTheWorkerBindsThem()
    {
        AzuriteFixture.RequireAzurite();
        var kit = new BatchKit(azurite, chunkBytes: 64 * 1024, partBytes: 16 * 1024);
        var functions = new BatchFunctions(kit.Processor);
        var worker = new System.Text.Json.JsonSerializerOptions { PropertyNameCaseInsensitive = true }; // the worker's default
        var blob = await kit.Upload("chunked.csv", BatchKit.Utf8(BatchKit.Generate(5_000)));
        await functions.ValidateBatchBlob(blob, CancellationToken.None);
        var messages = (await kit.Queues.GetQueueClient(kit.Options.ChunkQueue).ReceiveMessagesAsync(32)).Value;
        Assert.True(messages.Length > 1);
        foreach (var m in messages)
            await functions.ValidateBatchChunk(System.Text.Json.JsonSerializer.Deserialize<ChunkMessage>(m.Body.ToString(), worker), CancellationToken.None);
        Assert.Equal(BatchState.Completed, (await kit.Summary(blob)).Status);

        // A blob-trigger poison message for this function marks its batch failed; another function's is not ours; an
        // empty chunk message is refused, not thrown.
        var other = await kit.Upload("other.csv", BatchKit.Utf8(BatchKit.Header + "\nA1,2026-08-03,62323,,,,,1\n"));
        var etag = (await other.GetPropertiesAsync()).Value.ETag.ToString();
        var id = await kit.Id(other);
        await functions.BatchBlobPoisoned(new BlobPoisonMessage("Host.Functions.SomeoneElse", kit.Input.Name, "other.csv", etag), CancellationToken.None);
        Assert.Null(await kit.Processor.GetStatusAsync(id, CancellationToken.None));
        var poison = System.Text.Json.JsonSerializer.Deserialize<BlobPoisonMessage>(
            $$"""{"Type":"BlobTrigger","FunctionId":"Host.Functions.ValidateBatchBlob","BlobType":"BlockBlob","ContainerName":"{{kit.Input.Name}}","BlobName":"other.csv","ETag":{{System.Text.Json.JsonSerializer.Serialize(etag)}}}""", worker);
        await functions.BatchBlobPoisoned(poison, CancellationToken.None);
        Assert.Equal(BatchState.Failed, (await kit.Processor.GetStatusAsync(id, CancellationToken.None))!.Status);
        await functions.BatchChunkPoisoned(null, CancellationToken.None);
        await functions.ValidateBatchChunk(null, CancellationToken.None);
    }

    [Fact]
    public async Task ThePostRefusesOtherMediaTypesAndEmptyBodiesAndTheStatusRouteUnknownAndMalformedIds()
    {
        AzuriteFixture.RequireAzurite();
        var functions = new BatchFunctions(new BatchKit(azurite).Processor);
        var xml = Post("<a/>"u8.ToArray(), "application/xml");
        Assert.Equal(415, (await HttpTestKit.Execute(await functions.SubmitBatch(xml, CancellationToken.None), xml)).Status);
        var empty = Post([], "text/csv");
        Assert.Equal(400, (await HttpTestKit.Execute(await functions.SubmitBatch(empty, CancellationToken.None), empty)).Status);
        // A well-formed id of no batch is a 404; a malformed one is a 400 (BatchNameTests has the hostile forms).
        var unknown = HttpTestKit.Request("GET");
        Assert.Equal(404, (await HttpTestKit.Execute(await functions.BatchStatus(unknown, "bm9wZQ.0x1", CancellationToken.None), unknown)).Status);
        foreach (var id in new[] { "nope", "!!.x" })
        {
            var get = HttpTestKit.Request("GET");
            Assert.Equal(400, (await HttpTestKit.Execute(await functions.BatchStatus(get, id, CancellationToken.None), get)).Status);
        }
    }

    [Fact]
    public async Task ABodyWithoutContentLengthIsCutOffAtTheSubmitLimitWith413AndNothingIsStored()
    {
        AzuriteFixture.RequireAzurite();
        var kit = new BatchKit(azurite);
        kit.Options.MaxSubmitBytes = 1024 * 1024;
        var functions = new BatchFunctions(kit.Processor);
        var request = Post(BatchKit.Utf8(BatchKit.Generate(100_000)), "text/csv");
        request.ContentLength = null; // chunked: the header cannot be trusted to carry the size
        var (status, body, _) = await HttpTestKit.Execute(await functions.SubmitBatch(request, CancellationToken.None), request);
        Assert.Equal(413, status);
        Assert.Equal("https://codepairs.dev/problems/payload-too-large", body.GetProperty("type").GetString());
        var stored = new List<string>();
        await foreach (var b in kit.Input.GetBlobsAsync()) stored.Add(b.Name);
        Assert.Empty(stored);
        Assert.False(await kit.Output.ExistsAsync());
    }
}
