using System.Text;
using CodePairs.Functions.Batches;
using CodePairs.Functions.Tests.Http;
using CodePairs.Functions.Tests.Storage;
using CodePairs.Rules.Batch;
using CodePairs.Rules.Generation;
using CodePairs.Rules.Tests.X12;
using Microsoft.AspNetCore.Http;

namespace CodePairs.Functions.Tests.Batches;

/// <summary>837P/837I files through the batch door (blob trigger and POST), on Azurite.</summary>
public class BatchX12Tests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static byte[] Sample(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "X12", "Samples", name));

    private static string[] Rows(string csv) => csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task An837DroppedIntoTheInputContainerIsCheckedWithResultsThatPointBackToItsSegments()
    {
        AzuriteFixture.RequireAzurite();
        var kit = new BatchKit(azurite);
        var blob = await kit.Upload("claims/office.837", Sample("professional.837"));
        await kit.Run(blob);

        var results = Rows(await kit.Read(blob, "results.csv"));
        Assert.Equal("claim_id,claim_segment,line_segments,status,severity,kind,rule,claim_lines,denied_lines,codes,source,message", results[0]);
        Assert.Contains(results, r => r.StartsWith("PCN-P-0001,21,26;29,finding,deny,ptp,ptp.indicator-0,1;2,2,13121;13120,ptp-practitioner v322r0,", StringComparison.Ordinal));
        Assert.Contains(results, r => r.StartsWith("PCN-P-0003,56,59,not-checked,,,,1,,ER:X1234,,", StringComparison.Ordinal));
        Assert.Contains(results, r => r.StartsWith("PCN-P-0006,90,93,clean,,,,,,,ptp-practitioner v322r0;", StringComparison.Ordinal));
        var rejected = Rows(await kit.Read(blob, "rejected.csv"));
        Assert.Equal("segment,claim_id,claim_segment,reason", rejected[0]);
        Assert.StartsWith("83,PCN-P-0004,80,\"segment 83 SV1, SV101-2: '6232' is 4 characters", rejected[1]);

        var summary = await kit.Summary(blob);
        Assert.Equal((BatchState.Completed, (BatchFormat?)BatchFormat.X12, "claim"), (summary.Status, summary.Input.Format, summary.Unit));
        Assert.Equal((6L, 5L, 1L), (summary.LinesIn, summary.LinesValidated, summary.LinesRejected));
        Assert.Equal((11L, 1L, 0L), (summary.ServiceLines, summary.ServiceLinesNotChecked, summary.FileProblems));
        Assert.Contains("\"unit\": \"claim\"", await kit.Read(blob, "summary.json"));
    }

    [Fact]
    public async Task ATxtFileIsReadAsAn837WhenItsFirstSegmentIsIsaAndAsCsvOtherwiseAndGzipWorksForBoth()
    {
        AzuriteFixture.RequireAzurite();
        var kit = new BatchKit(azurite);
        var x12 = await kit.Upload("export.txt", Sample("institutional.837"));
        var csv = await kit.Upload("lines.txt", BatchKit.Utf8(BatchKit.Header + "\nA1,2026-08-03,62323,,,,,1\n"));
        var gz = await kit.Upload("export.txt.gz", BatchKit.Gzip(Sample("institutional.837")));
        var edi = await kit.Upload("export.edi", BatchKit.Utf8(BatchKit.Header + "\nA1,2026-08-03,62323,,,,,1\n"));
        foreach (var b in new[] { x12, csv, gz, edi }) await kit.Run(b);

        Assert.Equal(((BatchFormat?)BatchFormat.X12, 3L), ((await kit.Summary(x12)).Input.Format, (await kit.Summary(x12)).LinesIn));
        Assert.Equal(((BatchFormat?)BatchFormat.Csv, 1L), ((await kit.Summary(csv)).Input.Format, (await kit.Summary(csv)).LinesIn));
        Assert.Equal(await kit.Read(x12, "results.csv"), await kit.Read(gz, "results.csv"));
        // .edi is always an 837: a CSV under that name fails, saying why, without quoting it.
        var failed = await kit.Summary(edi);
        Assert.Equal((BatchState.Failed, "segment 1: the file does not start with an ISA segment: it is not an X12 file"), (failed.Status, failed.Error));
    }

    [Fact]
    public async Task AChunked837GivesTheSameOutputAsAnUnchunkedOneWhateverOrderTheChunksRunIn()
    {
        AzuriteFixture.RequireAzurite();
        var file = new MemoryStream();
        new ReleaseGenerator(GeneratorOptions.Small(7)).WriteClaims837(file, 30_000, seed: 5, claimsPerTransaction: 900);
        // One SE count off: the envelope problem is found by whichever chunk holds that SE, at the same segment.
        var text = Encoding.ASCII.GetString(file.ToArray());
        var se = text.IndexOf("SE*", StringComparison.Ordinal);
        var bytes = Encoding.ASCII.GetBytes(text[..(se + 3)] + "1" + text[(se + 3)..]);
        var whole = new BatchKit(azurite);
        var chunked = new BatchKit(azurite, chunkBytes: 128 * 1024, partBytes: 16 * 1024);
        var a = await whole.Upload("big.837", bytes);
        var b = await chunked.Upload("big.837", bytes);
        Assert.Single((await whole.Run(a))!.Chunks);
        var plan = await chunked.Run(b, reverseChunks: true);
        Assert.True(plan!.Chunks.Count > 5, $"expected several chunks, got {plan.Chunks.Count}");
        Assert.All(plan.Chunks.Skip(1), c => Assert.NotNull(c.X12));

        Assert.Equal(await whole.Read(a, "results.csv"), await chunked.Read(b, "results.csv"));
        Assert.Equal(await whole.Read(a, "rejected.csv"), await chunked.Read(b, "rejected.csv"));
        var (s1, s2) = (await whole.Summary(a), await chunked.Summary(b));
        Assert.Equal((s1.LinesIn, s1.LinesValidated, s1.LinesRejected, s1.ServiceLines, s1.FileProblems), (s2.LinesIn, s2.LinesValidated, s2.LinesRejected, s2.ServiceLines, s2.FileProblems));
        Assert.Equal(plan.LinesIn, s2.LinesIn);
        Assert.Equal(s2.LinesIn, s2.LinesValidated + s2.LinesRejected);
        Assert.Equal(1L, s2.FileProblems);
        Assert.Equal(30_000L, s2.ServiceLines);
    }

    [Fact]
    public async Task ThePostTakesAnEdiX12BodyAndTheBlobTriggerChecksIt()
    {
        AzuriteFixture.RequireAzurite();
        var kit = new BatchKit(azurite);
        var functions = new BatchFunctions(kit.Processor);
        var body = Sample("institutional.837");
        var request = HttpTestKit.Request("POST");
        request.Body = new MemoryStream(body);
        request.ContentLength = body.Length;
        request.ContentType = "application/edi-x12; charset=us-ascii";
        var (status, json, _) = await HttpTestKit.Execute(await functions.SubmitBatch(request, CancellationToken.None), request);
        Assert.Equal(202, status);
        Assert.Equal("x12", json.GetProperty("input").GetProperty("format").GetString());
        var id = json.GetProperty("id").GetString()!;
        Assert.True(BatchNames.TryParseId(id, out var name, out _));
        Assert.EndsWith(".837", name);

        await functions.ValidateBatchBlob(kit.Input.GetBlobClient(name), CancellationToken.None);
        var get = HttpTestKit.Request("GET");
        var (s, b, _) = await HttpTestKit.Execute(await functions.BatchStatus(get, id, CancellationToken.None), get);
        Assert.Equal((200, "completed"), (s, b.GetProperty("status").GetString()));
        Assert.Equal(3, b.GetProperty("linesIn").GetInt64());
        Assert.Equal(1, b.GetProperty("summary").GetProperty("linesRejected").GetInt64());
        Assert.Equal(7, b.GetProperty("summary").GetProperty("serviceLines").GetInt64());
    }

    [Theory]
    [InlineData("professional.837", 64L * 1024 * 1024)]
    [InlineData("professional.837", 1024L)]
    [InlineData("institutional.837", 1024L)]
    public async Task NoElementOfAn837OtherThanClaimIdsAndCodesReachesAnyOutputBlobOrLog(string name, long chunkBytes)
    {
        AzuriteFixture.RequireAzurite();
        var logs = new List<string>();
        var kit = new BatchKit(azurite, chunkBytes: chunkBytes, partBytes: 64 * 1024, logs: logs);
        var sample = Encoding.ASCII.GetString(Sample(name));
        // The sample as sent, and broken: a wrong SE count and a truncated end (problems are reported, never quoting values).
        var broken = sample.Replace("SE*", "SE*7", StringComparison.Ordinal)[..(sample.Length - 40)];
        var plan = await kit.Run(await kit.Upload("private/" + name, Encoding.ASCII.GetBytes(sample)));
        await kit.Run(await kit.Upload("private/broken-" + name, Encoding.ASCII.GetBytes(broken)));
        if (chunkBytes < 4096) Assert.True(plan!.Chunks.Count > 1);

        var outputs = new List<(string, string)>();
        await foreach (var item in kit.Output.GetBlobsAsync())
            outputs.Add((item.Name, Encoding.UTF8.GetString((await kit.Output.GetBlobClient(item.Name).DownloadContentAsync()).Value.Content.ToArray())));
        Assert.Contains(outputs, o => o.Item1.EndsWith("/results.csv", StringComparison.Ordinal) && o.Item2.Contains("PCN-", StringComparison.Ordinal));
        Assert.Contains(outputs, o => o.Item1.EndsWith("/plan.json", StringComparison.Ordinal) || chunkBytes > 4096);
        Assert.NotEmpty(logs);
        X12Privacy.AssertNoneIn(sample, outputs.Concat(logs.Select(l => ("log", l))));
        Assert.All(logs, l => Assert.DoesNotContain("PCN-", l)); // claim ids are for the results only, never logs
    }
}
