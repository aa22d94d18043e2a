using System.Text;
using Azure.Storage.Blobs.Models;
using CodePairs.Functions.Batches;
using CodePairs.Functions.Tests.Storage;

namespace CodePairs.Functions.Tests.Batches;

public class BatchProcessorTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Header = BatchKit.Header;

    // Line numbers are file lines: the header is line 1.
    private const string Mixed =
        Header + "\r\n" +
        "A1,2026-08-03,62323,,,,,1\r\n" +          // 2 claim A1 (PTP finding with 77003)
        "A1,2026-08-03,77003,,,,,1\r\n" +          // 3
        "\r\n" +                                    // 4 empty line
        "B2,2026-08-03,6232,,,,,1\r\n" +           // 5 bad code
        "C3,2026-13-03,62323,,,,,1\r\n" +          // 6 bad date
        "D4,2026-08-03,62323,,,,,x\r\n" +          // 7 bad units
        "E5,2026-08-03,62323,,,,\r\n" +            // 8 wrong column count
        "\"F,6\",2026-08-03,\"99291\",,,,,1\r\n" + // 9 quoted comma: clean claim
        "G7,2026-08-03,62323,,,,,1";               // 10 clean, no final newline

    // The test rule set holds practitioner tables only: a hospital line is judged by none of them and says so.
    [Theory]
    [InlineData("practitioner", "practitioner", "mue-practitioner 2026-07-01", "No mue-hospital table is loaded")]
    [InlineData("outpatient", "hospital", "No mue-hospital table is loaded", "mue-practitioner 2026-07-01")]
    public async Task TheDefaultSettingIsKeptInThePlanByItsJsonNameAndJudgesLinesWithoutOne(string configured, string planned, string seen, string notSeen)
    {
        AzuriteFixture.RequireAzurite();
        var kit = new BatchKit(azurite);
        kit.Options.DefaultSetting = configured;
        var blob = await kit.Upload("claims/default-setting.csv", BatchKit.Utf8(Header + "\nA1,2026-08-03,62323,,,,,1\n"));
        await kit.Run(blob);

        Assert.Contains($"\"defaultSetting\": \"{planned}\"", await kit.Read(blob, "plan.json"), StringComparison.Ordinal);
        var results = await kit.Read(blob, "results.csv");
        Assert.Contains(seen, results, StringComparison.Ordinal);
        Assert.DoesNotContain(notSeen, results, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CsvWithBomAndCrlfWritesResultsRejectedLinesWithTheirNumbersAndASummaryThatAddsUp()
    {
        AzuriteFixture.RequireAzurite();
        var kit = new BatchKit(azurite);
        var blob = await kit.Upload("claims/mixed.csv", [0xEF, 0xBB, 0xBF, .. BatchKit.Utf8(Mixed)]);
        await kit.Run(blob);

        var rejected = (await kit.Read(blob, "rejected.csv")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("line,claim_id,reason", rejected[0]);
        var byLine = rejected.Skip(1).ToDictionary(r => int.Parse(r.Split(',')[0]), r => r);
        Assert.Equal([4, 5, 6, 7, 8], byLine.Keys.Order());
        Assert.Equal("4,,empty line", byLine[4]);
        Assert.StartsWith("5,B2,code: '6232'", byLine[5]);
        Assert.StartsWith("6,C3,date_of_service:", byLine[6]);
        Assert.Equal("7,D4,units: 'x' is not a whole number", byLine[7]);
        Assert.Equal("8,,\"expected 8 comma-separated columns, found 7\"", byLine[8]);

        var results = (await kit.Read(blob, "results.csv")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(CodePairs.Rules.Batch.BatchCheck.ResultHeader, results[0]);
        Assert.Contains(results, r => r.StartsWith("A1,2;3,finding,", StringComparison.Ordinal) && r.Contains(",ptp,", StringComparison.Ordinal));
        Assert.Contains("\"F,6\",9,clean,,,,,,,ptp-practitioner v322r0;aoc AOC_V2026Q3;mue-practitioner 2026-07-01,", results);
        Assert.Contains("G7,10,clean,,,,,,,ptp-practitioner v322r0;aoc AOC_V2026Q3;mue-practitioner 2026-07-01,", results);
        Assert.DoesNotContain(results, r => r.Contains(",rejected,", StringComparison.Ordinal));

        var summary = await kit.Summary(blob);
        Assert.Equal(BatchState.Completed, summary.Status);
        Assert.Equal(9, summary.LinesIn);
        Assert.Equal(summary.LinesIn, summary.LinesValidated + summary.LinesRejected);
        Assert.Equal(5, summary.LinesRejected);
        Assert.Equal(3, summary.Claims);
        Assert.Equal(2, summary.ClaimsClean);
        Assert.True(summary.FindingsByKind["ptp"] >= 1);
        Assert.Contains("ptp-practitioner v322r0", summary.TablesUsed);
    }

    [Fact]
    public async Task LfAndCrlfFilesGiveTheSameResults()
    {
        AzuriteFixture.RequireAzurite();
        var kit = new BatchKit(azurite);
        var crlf = await kit.Upload("crlf.csv", BatchKit.Utf8(Mixed));
        var lf = await kit.Upload("lf.csv", BatchKit.Utf8(Mixed.Replace("\r\n", "\n")));
        await kit.Run(crlf);
        await kit.Run(lf);
        Assert.Equal(await kit.Read(crlf, "results.csv"), await kit.Read(lf, "results.csv"));
        Assert.Equal(await kit.Read(crlf, "rejected.csv"), await kit.Read(lf, "rejected.csv"));
    }

    [Fact]
    public async Task JsonLinesAndGzipFilesAreValidated()
    {
        AzuriteFixture.RequireAzurite();
        var kit = new BatchKit(azurite);
        const string jsonl =
            "{\"claimId\":\"J1\",\"dateOfService\":\"2026-08-03\",\"lines\":[{\"code\":\"62323\"},{\"code\":\"77003\"}]}\n" +
            "{not json}\n" +
            "\n" +
            "{\"claimId\":\"J4\",\"dateOfService\":\"2026-08-03\",\"lines\":[{\"code\":\"99291\"}]}\n";
        var json = await kit.Upload("claims.jsonl", BatchKit.Utf8(jsonl));
        var gz = await kit.Upload("claims.jsonl.gz", BatchKit.Gzip(BatchKit.Utf8(jsonl)));
        var csvGz = await kit.Upload("mixed.csv.gz", BatchKit.Gzip(BatchKit.Utf8(Mixed)));
        await kit.Run(json);
        await kit.Run(gz);
        await kit.Run(csvGz);

        var summary = await kit.Summary(json);
        Assert.Equal((4, 2, 2), (summary.LinesIn, summary.LinesValidated, summary.LinesRejected));
        var rejected = await kit.Read(json, "rejected.csv");
        Assert.Contains("\r\n2,,\"not a JSON claim", rejected);
        Assert.Contains("\r\n3,,empty line\r\n", rejected);
        Assert.Contains("J4,4,clean", await kit.Read(json, "results.csv"));
        Assert.Equal(await kit.Read(json, "results.csv"), await kit.Read(gz, "results.csv"));
        Assert.True((await kit.Summary(gz)).Input.Gzip);
        Assert.Equal(9, (await kit.Summary(csvGz)).LinesIn);
    }

    [Fact]
    public async Task ARedeliveryOfTheSameBlobChangesNothingAndANewUploadGetsItsOwnOutput()
    {
        AzuriteFixture.RequireAzurite();
        var kit = new BatchKit(azurite);
        var blob = await kit.Upload("again.csv", BatchKit.Utf8(Mixed));
        await kit.Run(blob);
        var before = await Listing(kit);
        Assert.Null(await kit.Processor.StartAsync(blob.BlobContainerName, blob.Name, CancellationToken.None)); // the host delivers the event again
        Assert.Equal(before, await Listing(kit));

        await kit.Upload("again.csv", BatchKit.Utf8(Mixed + "\nH8,2026-08-03,99291,,,,,1\n"));
        await kit.Run(blob);
        var folders = (await Listing(kit)).Select(b => b.Name.Split(".csv.")[1].Split('/')[0]).Distinct().ToArray();
        Assert.Equal(2, folders.Length);
        Assert.Equal(10, (await kit.Summary(blob)).LinesIn);
    }

    private static async Task<List<(string Name, string ETag)>> Listing(BatchKit kit)
    {
        var list = new List<(string, string)>();
        await foreach (var b in kit.Output.GetBlobsAsync()) list.Add((b.Name, b.Properties.ETag.ToString()!));
        return list;
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public async Task AChunkedFileGivesTheSameOutputAsAnUnchunkedOneWhateverOrderTheChunksRunIn(string newline)
    {
        AzuriteFixture.RequireAzurite();
        var text = BatchKit.Generate(20_000, newline);
        var bytes = BatchKit.Utf8(text);
        var whole = new BatchKit(azurite);
        var chunked = new BatchKit(azurite, chunkBytes: 64 * 1024, partBytes: 16 * 1024);
        var a = await whole.Upload("big.csv", bytes);
        var b = await chunked.Upload("big.csv", bytes);
        Assert.Single((await whole.Run(a))!.Chunks);
        var plan = await chunked.Run(b, reverseChunks: true);
        Assert.True(plan!.Chunks.Count > 5, $"expected several chunks, got {plan.Chunks.Count}");

        Assert.Equal(await whole.Read(a, "results.csv"), await chunked.Read(b, "results.csv"));
        Assert.Equal(await whole.Read(a, "rejected.csv"), await chunked.Read(b, "rejected.csv"));
        var (s1, s2) = (await whole.Summary(a), await chunked.Summary(b));
        Assert.Equal(text.Split(newline).Length - 2, s2.LinesIn);
        Assert.Equal((s1.LinesIn, s1.LinesValidated, s1.LinesRejected, s1.Claims, s1.ClaimsClean), (s2.LinesIn, s2.LinesValidated, s2.LinesRejected, s2.Claims, s2.ClaimsClean));
        Assert.Equal(s2.LinesIn, s2.LinesValidated + s2.LinesRejected);
        Assert.True(s2.LinesRejected > 0);
        Assert.Equal(s1.FindingsByKind, s2.FindingsByKind);
    }

    [Fact]
    public async Task AProcessorCancelledMidFileAndRunAgainWritesTheSameOutput()
    {
        AzuriteFixture.RequireAzurite();
        var bytes = BatchKit.Utf8(BatchKit.Generate(5_000));
        var reference = new BatchKit(azurite, partBytes: 16 * 1024);
        var r = await reference.Upload("ref.csv", bytes);
        await reference.Run(r);

        var kit = new BatchKit(azurite, partBytes: 16 * 1024);
        var blob = await kit.Upload("ref.csv", bytes);
        using var cts = new CancellationTokenSource();
        kit.Processor.AfterStage = (_, parts) => { if (parts == 3) cts.Cancel(); };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => kit.Processor.StartAsync(blob.BlobContainerName, blob.Name, cts.Token));
        Assert.False(await kit.Output.GetBlobClient(BatchNames.Prefix(blob.Name, BatchNames.Tag((await blob.GetPropertiesAsync()).Value.ETag.ToString())) + "summary.json").ExistsAsync());
        Assert.Equal(BatchState.Running, (await kit.Processor.GetStatusAsync(await kit.Id(blob), CancellationToken.None))!.Status);

        kit.Processor.AfterStage = null;
        await kit.Run(blob); // the host's retry
        Assert.Equal(await reference.Read(r, "results.csv"), await kit.Read(blob, "results.csv"));
        Assert.Equal(await reference.Read(r, "rejected.csv"), await kit.Read(blob, "rejected.csv"));
        Assert.Equal((await reference.Summary(r)).LinesIn, (await kit.Summary(blob)).LinesIn);
    }

    [Theory]
    [InlineData("g.csv", false, 0L)]
    [InlineData("g.csv", false, 96L * 1024)]
    [InlineData("g.csv.gz", true, 0L)]
    [InlineData("g.jsonl", false, 0L)]
    public async Task TheParallelEngineWritesTheReferenceEnginesBytes(string name, bool gzip, long chunkBytes)
    {
        AzuriteFixture.RequireAzurite();
        var csv = BatchKit.Generate(15_000, "\r\n");
        var text = name.Contains(".jsonl", StringComparison.Ordinal) ? JsonLinesOf(csv) : csv;
        var bytes = BatchKit.Utf8(text);
        if (gzip) bytes = BatchKit.Gzip(bytes);
        var chunk = chunkBytes > 0 ? chunkBytes : 64L * 1024 * 1024;
        var reference = new BatchKit(azurite, chunkBytes: chunk, partBytes: 16 * 1024, engine: "reference");
        var parallel = new BatchKit(azurite, chunkBytes: chunk, partBytes: 16 * 1024, engine: "parallel");
        var r = await reference.Upload(name, bytes);
        var p = await parallel.Upload(name, bytes);
        var plan = await reference.Run(r);
        await parallel.Run(p);
        if (chunkBytes > 0) Assert.True(plan!.Chunks.Count > 2);
        Assert.Equal(await reference.Read(r, "results.csv"), await parallel.Read(p, "results.csv"));
        Assert.Equal(await reference.Read(r, "rejected.csv"), await parallel.Read(p, "rejected.csv"));
        var (a, b) = (await reference.Summary(r), await parallel.Summary(p));
        Assert.Equal((a.LinesIn, a.LinesValidated, a.LinesRejected, a.Claims, a.ClaimsClean, a.ClaimsWithFindings),
            (b.LinesIn, b.LinesValidated, b.LinesRejected, b.Claims, b.ClaimsClean, b.ClaimsWithFindings));
        Assert.Equal(a.FindingsByKind, b.FindingsByKind);
        Assert.Equal(a.FindingsBySeverity, b.FindingsBySeverity);
        Assert.Equal(a.TablesUsed, b.TablesUsed);
        Assert.True(b.LinesRejected > 0 && b.ClaimsWithFindings > 0);
    }

    /// <summary>
    /// A gzip file above the chunk size is chunked like the plain one (issue 12, item 3): its planning pass inflates it
    /// once into a copy in the batch's folder and cuts that; the chunks (run in reverse) read their ranges of the copy;
    /// the output is the plain chunked file's, byte for byte; the copy is gone once the batch is committed.
    /// </summary>
    [Theory]
    [InlineData("z.csv")]
    [InlineData("z.jsonl")]
    public async Task AGzipFileAboveTheChunkSizeIsInflatedOnceAndChunkedLikeThePlainFile(string name)
    {
        AzuriteFixture.RequireAzurite();
        var csv = BatchKit.Generate(15_000, "\r\n");
        var bytes = BatchKit.Utf8(name.EndsWith(".jsonl", StringComparison.Ordinal) ? JsonLinesOf(csv) : csv);
        var plainKit = new BatchKit(azurite, chunkBytes: 96 * 1024, partBytes: 16 * 1024);
        var gzipKit = new BatchKit(azurite, chunkBytes: 96 * 1024, partBytes: 16 * 1024);
        var plain = await plainKit.Upload(name, bytes);
        var gz = await gzipKit.Upload(name + ".gz", BatchKit.Gzip(bytes));
        var plainPlan = await plainKit.Run(plain);
        var plan = await gzipKit.Run(gz, reverseChunks: true);

        Assert.True(plan!.Chunks.Count > 2, $"expected several chunks, got {plan.Chunks.Count}");
        Assert.Equal(plainPlan!.Chunks.Select(c => (c.Offset, c.Length, c.FirstLine, c.Lines)), plan.Chunks.Select(c => (c.Offset, c.Length, c.FirstLine, c.Lines)));
        Assert.NotNull(plan.Inflated);
        Assert.Equal(bytes.Length, plan.Inflated!.Bytes);
        Assert.Equal(await plainKit.Read(plain, "results.csv"), await gzipKit.Read(gz, "results.csv"));
        Assert.Equal(await plainKit.Read(plain, "rejected.csv"), await gzipKit.Read(gz, "rejected.csv"));
        var (a, b) = (await plainKit.Summary(plain), await gzipKit.Summary(gz));
        Assert.Equal((a.LinesIn, a.LinesValidated, a.LinesRejected, a.Claims, a.ClaimsClean, a.Chunks),
            (b.LinesIn, b.LinesValidated, b.LinesRejected, b.Claims, b.ClaimsClean, b.Chunks));
        Assert.True(b.Input.Gzip);
        Assert.Equal(plan.LinesIn, b.LinesIn);
        Assert.False(await gzipKit.Output.GetBlobClient(plan.Inflated.Name).ExistsAsync(), "the inflated copy outlived its batch");
    }

    /// <summary>A planning pass that runs again after the copy was committed (the worker died before plan.json) keeps
    /// the first copy: same ETag, so the plan never points at a copy another planner replaced.</summary>
    [Fact]
    public async Task AGzipPlanningPassRunAgainKeepsTheFirstCopyAndTheSameOutput()
    {
        AzuriteFixture.RequireAzurite();
        var bytes = BatchKit.Utf8(BatchKit.Generate(10_000, "\n"));
        var reference = new BatchKit(azurite);
        var r = await reference.Upload("again.csv", bytes);
        await reference.Run(r);

        var kit = new BatchKit(azurite, chunkBytes: 64 * 1024, partBytes: 16 * 1024);
        var gz = await kit.Upload("again.csv.gz", BatchKit.Gzip(bytes));
        kit.Processor.AtPoint = point => { if (point == "planned") throw new IOException("the worker died here"); };
        await Assert.ThrowsAsync<IOException>(() => kit.Processor.StartAsync(gz.BlobContainerName, gz.Name, CancellationToken.None));
        var prefix = BatchNames.Prefix(gz.Name, BatchNames.Tag((await gz.GetPropertiesAsync()).Value.ETag.ToString()));
        var first = (await kit.Output.GetBlobClient(prefix + BatchNames.Inflated).GetPropertiesAsync()).Value.ETag;
        await kit.Output.GetBlobClient(prefix + BatchNames.Plan).DeleteAsync(); // as if it died before plan.json

        kit.Processor.AtPoint = null;
        var plan = await kit.Run(gz);
        Assert.Equal(BatchNames.Tag(first.ToString()), plan!.Inflated!.ETag);
        Assert.True(plan.Chunks.Count > 2);
        Assert.Equal(await reference.Read(r, "results.csv"), await kit.Read(gz, "results.csv"));
        Assert.Equal(await reference.Read(r, "rejected.csv"), await kit.Read(gz, "rejected.csv"));
    }

    /// <summary>A damaged gzip file above the chunk size fails in its planning pass, for its content, with the reason;
    /// no plan, no copy, no chunk is left behind.</summary>
    [Fact]
    public async Task ADamagedGzipFileAboveTheChunkSizeFailsInItsPlanningPassAndLeavesNoCopy()
    {
        AzuriteFixture.RequireAzurite();
        var gz = BatchKit.Gzip(BatchKit.Utf8(BatchKit.Generate(10_000, "\n")));
        gz[gz.Length / 2] ^= 0x55; // a flipped byte in the middle; the trailer (and its length hint) stays
        var kit = new BatchKit(azurite, chunkBytes: 64 * 1024, partBytes: 16 * 1024);
        var blob = await kit.Upload("damaged.csv.gz", gz);
        Assert.Null(await kit.Run(blob));
        var summary = await kit.Summary(blob);
        Assert.Equal(BatchState.Failed, summary.Status);
        Assert.True(summary.Error!.StartsWith("the file is not valid gzip", StringComparison.Ordinal)
                    || summary.Error.StartsWith("the gzip file is truncated or corrupt", StringComparison.Ordinal), summary.Error);
        var names = new List<string>();
        await foreach (var item in kit.Output.GetBlobsAsync()) names.Add(item.Name.Split('/')[^1]);
        Assert.Equal(["status.json", "summary.json"], names.Order(StringComparer.Ordinal).ToArray());
    }

    /// <summary>The same claims as JSON lines (one claim a line), with an empty line and a malformed one.</summary>
    private static string JsonLinesOf(string csv)
    {
        var sb = new StringBuilder();
        foreach (var claim in csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).GroupBy(f => f[0]))
        {
            sb.Append("{\"claimId\":\"").Append(claim.Key).Append("\",\"setting\":\"practitioner\",\"dateOfService\":\"2026-08-03\",\"lines\":[");
            sb.AppendJoin(',', claim.Select(f => $"{{\"code\":\"{f[2]}\",\"modifiers\":[{(f[3].Length > 0 ? $"\"{f[3]}\"" : "")}],\"units\":{f[7]}}}"));
            sb.Append("]}\n");
            if (claim.Key == "C100") sb.Append("\n{\"claimId\":\"X\",\n");
        }
        return sb.ToString();
    }

    [Fact]
    public async Task TheRawStatusOfAFinishedBatchShowsTheLinesProcessed()
    {
        AzuriteFixture.RequireAzurite();
        foreach (var chunkBytes in new[] { 64L * 1024 * 1024, 128 * 1024 })
        {
            var kit = new BatchKit(azurite, chunkBytes: chunkBytes, partBytes: 16 * 1024);
            var blob = await kit.Upload("done.csv", BatchKit.Utf8(BatchKit.Generate(20_000)));
            var plan = await kit.Run(blob);
            var summary = await kit.Summary(blob);
            // status.json itself, not the view GetStatusAsync composes from the summary.
            var raw = System.Text.Json.JsonSerializer.Deserialize<BatchStatusView>(await kit.Read(blob, BatchNames.Status), BatchJson.Options)!;
            Assert.Equal(BatchState.Completed, raw.Status);
            Assert.Equal(summary.LinesIn, raw.LinesIn);
            Assert.Equal(summary.LinesIn, raw.LinesProcessed);
            Assert.True(raw.LinesProcessed > 20_000);
            Assert.Equal((plan!.Chunks.Count, plan.Chunks.Count), (raw.Chunks, raw.ChunksDone));
        }
    }

    [Fact]
    public async Task AChunkCancelledMidwayIsRedoneAndTheBatchCommitsOnce()
    {
        AzuriteFixture.RequireAzurite();
        var bytes = BatchKit.Utf8(BatchKit.Generate(20_000));
        var kit = new BatchKit(azurite, chunkBytes: 128 * 1024, partBytes: 16 * 1024);
        var reference = new BatchKit(azurite);
        var r = await reference.Upload("c.csv", bytes);
        await reference.Run(r);
        var blob = await kit.Upload("c.csv", bytes);
        var plan = await kit.Processor.StartAsync(blob.BlobContainerName, blob.Name, CancellationToken.None);
        using var cts = new CancellationTokenSource();
        kit.Processor.AfterStage = (chunk, parts) => { if (chunk == 1 && parts == 2) cts.Cancel(); };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => kit.Processor.ProcessChunkAsync(plan!, 1, cts.Token));
        kit.Processor.AfterStage = null;
        await kit.Drain();
        Assert.Equal(await reference.Read(r, "results.csv"), await kit.Read(blob, "results.csv"));
        Assert.Equal(await reference.Read(r, "rejected.csv"), await kit.Read(blob, "rejected.csv"));
    }

    [Fact]
    public async Task AnInputReplacedAfterItWasPlannedFailsItsBatchOnceAndTheNewUploadIsABatchOfItsOwn()
    {
        AzuriteFixture.RequireAzurite();
        var kit = new BatchKit(azurite, chunkBytes: 128 * 1024, partBytes: 16 * 1024);
        var blob = await kit.Upload("r.csv", BatchKit.Utf8(BatchKit.Generate(20_000)));
        var oldId = await kit.Id(blob);
        var plan = await kit.Processor.StartAsync(blob.BlobContainerName, blob.Name, CancellationToken.None);
        Assert.True(plan!.Chunks.Count > 2, $"expected several chunks, got {plan.Chunks.Count}");

        await kit.Upload("r.csv", BatchKit.Utf8(BatchKit.Generate(100))); // a new version while the chunks wait in the queue
        Assert.Equal(plan.Chunks.Count, await kit.Drain());

        var old = await kit.Processor.GetStatusAsync(oldId, CancellationToken.None);
        Assert.Equal(BatchState.Failed, old!.Status);
        Assert.Equal("the input blob was replaced while the batch ran; the new upload is a batch of its own", old.Error);
        Assert.Equal((0L, 0L), (old.Summary!.LinesIn, old.Summary.LinesValidated + old.Summary.LinesRejected));

        Assert.Single((await kit.Run(blob))!.Chunks); // the new version's own event
        var summary = await kit.Summary(blob);
        Assert.Equal((BatchState.Completed, summary.LinesIn), (summary.Status, summary.LinesValidated + summary.LinesRejected));
        Assert.NotEqual(oldId, summary.Id);
    }

    [Fact]
    public async Task TheStatusReportsProgressWhileChunksRunAndTheSummaryAtTheEnd()
    {
        AzuriteFixture.RequireAzurite();
        var text = BatchKit.Generate(20_000);
        var kit = new BatchKit(azurite, chunkBytes: 128 * 1024, partBytes: 16 * 1024);
        var blob = await kit.Upload("progress.csv", BatchKit.Utf8(text));
        var plan = await kit.Processor.StartAsync(blob.BlobContainerName, blob.Name, CancellationToken.None);
        var id = await kit.Id(blob);
        var status = (await kit.Processor.GetStatusAsync(id, CancellationToken.None))!;
        Assert.Equal(BatchState.Running, status.Status);
        Assert.Equal(plan!.Chunks.Count, status.Chunks);
        Assert.Equal((0, 0L), (status.ChunksDone, status.LinesProcessed));
        Assert.Equal(text.Count(c => c == '\n') - 1, status.LinesIn);

        await kit.Drain(max: 2);
        status = (await kit.Processor.GetStatusAsync(id, CancellationToken.None))!;
        Assert.Equal(BatchState.Running, status.Status);
        Assert.Equal(2, status.ChunksDone);
        Assert.Equal(plan.Chunks[0].Lines + plan.Chunks[1].Lines, status.LinesProcessed);

        await kit.Drain();
        status = (await kit.Processor.GetStatusAsync(id, CancellationToken.None))!;
        Assert.Equal(BatchState.Completed, status.Status);
        Assert.Equal(status.LinesIn, status.LinesProcessed);
        Assert.EndsWith("/results.csv", status.Outputs.Results);
        Assert.NotNull(status.Summary);
        Assert.Null(await kit.Processor.GetStatusAsync("bm9wZQ.0x1", CancellationToken.None));
    }

    [Fact]
    public async Task AFileWithoutAHeaderOrAPoisonedBlobIsRecordedAsFailedNotThrown()
    {
        AzuriteFixture.RequireAzurite();
        var kit = new BatchKit(azurite);
        var noHeader = await kit.Upload("noheader.csv", BatchKit.Utf8("A1,2026-08-03,62323,,,,,1\n"));
        await kit.Run(noHeader);
        var summary = await kit.Summary(noHeader);
        Assert.Equal(BatchState.Failed, summary.Status);
        Assert.StartsWith("line 1: expected the header", summary.Error);

        var poisoned = await kit.Upload("poisoned.csv", BatchKit.Utf8(Mixed));
        var etag = (await poisoned.GetPropertiesAsync()).Value.ETag.ToString();
        await kit.Processor.RecordBlobPoisonAsync(
            $$"""{"Type":"BlobTrigger","FunctionId":"Host.Functions.ValidateBatchBlob","BlobType":"BlockBlob","ContainerName":"{{kit.Input.Name}}","BlobName":"poisoned.csv","ETag":{{System.Text.Json.JsonSerializer.Serialize(etag)}}}""",
            CancellationToken.None);
        var status = (await kit.Processor.GetStatusAsync(await kit.Id(poisoned), CancellationToken.None))!;
        Assert.Equal(BatchState.Failed, status.Status);
        Assert.Contains("after the host's retries", status.Error);
        Assert.Null(await kit.Processor.StartAsync(poisoned.BlobContainerName, poisoned.Name, CancellationToken.None)); // a late re-delivery does not restart it
    }

    [Fact]
    public async Task LogsCarryNoClaimIdsDatesOrCodes()
    {
        AzuriteFixture.RequireAzurite();
        var logs = new List<string>();
        var kit = new BatchKit(azurite, chunkBytes: 64 * 1024, partBytes: 16 * 1024, logs: logs);
        var blob = await kit.Upload("private.csv", BatchKit.Utf8(Mixed.Replace("G7", "PATIENT-SECRET") + "\n" + BatchKit.Generate(5_000)[(Header.Length + 1)..]));
        await kit.Run(blob);
        await kit.Run(await kit.Upload("noheader.csv", BatchKit.Utf8("PATIENT-SECRET,2026-08-03,62323,,,,,1\n"))); // the header error quotes line 1
        Assert.NotEmpty(logs);
        Assert.Contains(logs, l => l.Contains("Batch failed", StringComparison.Ordinal));
        Assert.All(logs, l =>
        {
            Assert.DoesNotContain("PATIENT-SECRET", l);
            Assert.DoesNotContain("2026-08-03", l);
            Assert.DoesNotContain("62323", l);
            Assert.DoesNotContain("private.csv", l);
        });
    }
}
