using System.Buffers.Text;
using System.Text;
using CodePairs.Functions.Batches;
using CodePairs.Functions.Tests.Http;
using CodePairs.Functions.Tests.Storage;
using CodePairs.Storage;

namespace CodePairs.Functions.Tests.Batches;

/// <summary>Issue 11, point 1: batch ids, blob names and queue messages are parsed, never trusted as paths.</summary>
public class BatchNameTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    /// <summary>Every container the service or its host owns, besides a batch's own output folder.</summary>
    public static readonly string[] OtherContainers =
    [
        StorageNames.SnapshotsContainer, StorageNames.IncomingContainer, StorageNames.ArchiveContainer,
        StorageNames.BatchesInContainer, StorageNames.BatchesOutContainer, "azure-webjobs-hosts", "azure-webjobs-secrets",
    ];

    public static TheoryData<string> HostileNames()
    {
        var data = new TheoryData<string>
        {
            "", "..", ".", "../x.csv", "./x.csv", "a/./b.csv", "a/../../b.csv", "a/..", "/x.csv", "x.csv/", "a//b.csv",
            "..\\x.csv", "a\\..\\..\\b.csv", "%2e%2e/x.csv", "..%2Fx.csv", "a%2F..%2F..%2Fb.csv", "%252e%252e/x.csv",
            ".hidden.csv", "-rf.csv", "a\u0000.csv", "a\r\n.csv", "caf\u00e9.csv", "a b.csv", "a?comp=list.csv", "a#b.csv",
            new string('a', BatchBlobName.MaxLength + 1),
        };
        foreach (var c in OtherContainers)
        {
            data.Add($"../{c}/evil.csv");
            data.Add($"../../{c}/x");
            data.Add($"a/../../{c}/b.csv");
            data.Add($"..\\{c}\\evil.csv");
            data.Add($"%2e%2e%2f{c}%2fevil.csv");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(HostileNames))]
    public void ABlobNameThatCouldLeaveItsFolderIsNotABatchName(string name)
    {
        Assert.False(BatchBlobName.TryParse(name, out _, out var reason));
        Assert.NotEmpty(reason);
        Assert.Throws<ArgumentException>(() => BatchNames.Prefix(name, "0x1"));
    }

    [Theory]
    [InlineData("claims.csv")]
    [InlineData("claims/mixed.csv")]
    [InlineData("partner-7/2026_08/claims.v2.jsonl.gz")]
    [InlineData("api/2026-08-03/0123456789abcdef0123456789abcdef.csv.gz")]
    [InlineData("rules-snapshots/evil.csv")] // a folder named like a container stays a folder inside batches-out
    public void TheDocumentedNameShapesAreBatchNamesAndRoundTripThroughTheId(string name)
    {
        Assert.True(BatchBlobName.TryParse(name, out var parsed, out _));
        var id = BatchNames.Id(name, "0x8DC0123456789AB");
        Assert.True(BatchId.TryParse(id, out var back, out _));
        Assert.Equal((parsed, "0x8DC0123456789AB"), (back.Name, back.ETag.Value));
        Assert.StartsWith(name + ".", BatchNames.Prefix(name, "0x8DC0123456789AB"));
        Assert.True(BatchBlobName.TryParse(new string('a', BatchBlobName.MaxLength), out _, out _));
    }

    public static TheoryData<string> HostileIds()
    {
        var data = new TheoryData<string>
        {
            "", "nope", "bm9wZQ.", "bm9wZQ==.0x1", "bm9wZQ.0x1.", "bm9wZQ.0x\"1", "bm9wZQ.0x-1", "bm9w/ZQ.0x1", "bm9w\\ZQ.0x1",
            "bm9w%2FZQ.0x1", "bm9wZR.0x1", // non-canonical base64url: trailing bits set
            "..%2F..%2Fx.0x1", "../../x.0x1", "!!.x", "bm9wZQ.0x1/../../x",
            Encode("nope") + "." + new string('0', BatchETag.MaxLength + 1),
            new string('A', BatchId.MaxLength + 1) + ".0x1",
            Convert.ToBase64String([0xff, 0xfe, 0xfd]).TrimEnd('=') + ".0x1", // not UTF-8
        };
        foreach (var name in HostileNames()) data.Add(Encode(name) + ".0x1");
        return data;
    }

    [Theory]
    [MemberData(nameof(HostileIds))]
    public void AnIdThatIsNotTheDocumentedShapeDoesNotParse(string id)
    {
        Assert.False(BatchId.TryParse(id, out _, out var reason));
        Assert.NotEmpty(reason);
    }

    [Theory]
    [MemberData(nameof(HostileIds))]
    public async Task TheStatusRouteAnswersAHostileIdWithA400ProblemNeverALookup(string id)
    {
        var functions = new BatchFunctions(new BatchKit(azurite).Processor); // no Azurite call is made for a bad id
        var get = HttpTestKit.Request("GET");
        var (status, body, headers) = await HttpTestKit.Execute(await functions.BatchStatus(get, id, CancellationToken.None), get);
        Assert.Equal(400, status);
        Assert.Equal("https://codepairs.dev/problems/invalid-request", body.GetProperty("type").GetString());
        Assert.Equal("Invalid batch id", body.GetProperty("title").GetString());
        Assert.StartsWith("application/problem+json", headers.ContentType.ToString());
    }

    [Fact]
    public async Task AnIdThatDecodesToAnotherContainersPathCannotReadThatContainersDocuments()
    {
        // The defect: an id decoding to ../<container>/probe read <container>/probe.<etag>/summary.json (200, its JSON).
        AzuriteFixture.RequireAzurite();
        var kit = new BatchKit(azurite);
        var functions = new BatchFunctions(kit.Processor);
        foreach (var other in OtherContainers)
        {
            var container = azurite.Blobs.GetBlobContainerClient(azurite.NewContainerName(other));
            await container.CreateIfNotExistsAsync();
            await container.GetBlobClient("probe.0x1/summary.json").UploadAsync(BinaryData.FromString("""{"id":"secret","status":"completed"}"""), overwrite: true);
            foreach (var name in new[] { $"../{container.Name}/probe", $"a/../../{container.Name}/probe", $"..\\{container.Name}\\probe" })
            {
                var get = HttpTestKit.Request("GET");
                var (status, body, _) = await HttpTestKit.Execute(await functions.BatchStatus(get, Encode(name) + ".0x1", CancellationToken.None), get);
                Assert.Equal(400, status);
                Assert.DoesNotContain("secret", body.ToString());
            }
        }
        var unknown = HttpTestKit.Request("GET");
        Assert.Equal(404, (await HttpTestKit.Execute(await functions.BatchStatus(unknown, Encode("nope.csv") + ".0x1", CancellationToken.None), unknown)).Status);
    }

    [Fact]
    public async Task ABlobEventWhoseNameClimbsOutOfItsFolderIsRefusedAndWritesNothingAnywhere()
    {
        // The defect: a batch blob named ../rules-snapshots/evil.csv wrote its summary into rules-snapshots.
        AzuriteFixture.RequireAzurite();
        var logs = new List<string>();
        var kit = new BatchKit(azurite, logs: logs);
        var csv = BatchKit.Utf8(BatchKit.Header + "\nA1,2026-08-03,62323,,,,,1\n");
        foreach (var other in OtherContainers)
        {
            var container = azurite.Blobs.GetBlobContainerClient(azurite.NewContainerName(other));
            await container.CreateIfNotExistsAsync();
            foreach (var name in new[] { $"../{container.Name}/evil.csv", $"x/../../{container.Name}/evil.csv" })
            {
                var blob = kit.Input.GetBlobClient(name);
                await blob.UploadAsync(new BinaryData(csv), overwrite: true); // Azure's URL normalisation puts it in the other container
                Assert.Null(await kit.Processor.StartAsync(blob.BlobContainerName, blob.Name, CancellationToken.None));
            }
            var names = new List<string>();
            await foreach (var item in container.GetBlobsAsync()) names.Add(item.Name);
            Assert.Equal(["evil.csv"], names); // only what the test uploaded: no summary, status or plan
        }
        Assert.False(await kit.Output.ExistsAsync());
        // The SDK resolves the dots, so the client points into the other container: refused for that, before any read.
        Assert.Contains(logs, l => l.Contains("Batch blob refused: the blob is not in the batch input container", StringComparison.Ordinal));
        Assert.All(logs, l => Assert.DoesNotContain("evil", l));
    }

    [Fact]
    public async Task QueueMessagesNamingAnotherContainerOrABadNameAreDroppedWithAReasonNotThrownOrFollowed()
    {
        AzuriteFixture.RequireAzurite();
        var logs = new List<string>();
        var kit = new BatchKit(azurite, logs: logs);
        var victim = await kit.Upload("victim.csv", BatchKit.Utf8(BatchKit.Header + "\nA1,2026-08-03,62323,,,,,1\n"));
        await kit.Run(victim);
        var before = (await kit.Summary(victim)).Status;
        var etag = BatchNames.Tag((await victim.GetPropertiesAsync()).Value.ETag.ToString());
        var messages = new List<string> { "", "not json", "[]", "null", $$"""{"container":"{{kit.Input.Name}}","name":"victim.csv","eTag":"{{etag}}","index":-1}""" };
        foreach (var name in new[] { "../victim.csv", "a/../victim.csv", "..\\victim.csv", "%2e%2e/victim.csv" })
            messages.Add($$"""{"container":"{{kit.Input.Name}}","name":{{System.Text.Json.JsonSerializer.Serialize(name)}},"eTag":"{{etag}}","index":0}""");
        foreach (var other in OtherContainers)
            messages.Add($$"""{"container":"{{other}}","name":"victim.csv","eTag":"{{etag}}","index":0}""");
        foreach (var m in messages)
        {
            await kit.Processor.ProcessChunkMessageAsync(m, CancellationToken.None);
            await kit.Processor.RecordChunkPoisonAsync(m, CancellationToken.None);
        }
        foreach (var other in OtherContainers.Append("../" + kit.Input.Name))
            await kit.Processor.RecordBlobPoisonAsync(
                $$"""{"FunctionId":"Host.Functions.ValidateBatchBlob","ContainerName":{{System.Text.Json.JsonSerializer.Serialize(other)}},"BlobName":"victim.csv","ETag":"\"{{etag}}\""}""",
                CancellationToken.None);
        Assert.Equal(before, (await kit.Summary(victim)).Status); // no forged message failed someone's batch
        Assert.Equal(BatchState.Completed, before);
        Assert.Contains(logs, l => l.Contains("refused: the container is not the batch input container", StringComparison.Ordinal));
    }

    private static string Encode(string name) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(name));
}
