using CodePairs.Functions.Batches;
using CodePairs.Functions.Tests.Storage;

namespace CodePairs.Functions.Tests.Batches;

/// <summary>
/// Issue 11, point 5, the fast version: the batch stops dead at each crash point of its protocol, then the host's
/// redelivery runs it again, and the output is the same as an uninterrupted run's. <c>scripts/chaos.sh</c> does the
/// same with a real kill -9 of a separate process on a 1M-line batch (docs/operations.md).
/// </summary>
public class BatchCrashTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private sealed class Crash(string point) : Exception($"crashed at {point}");

    /// <summary>Every crash point, for the plain file and for the same file gzipped (a chunked gzip file reads the
    /// inflated copy its planning pass wrote).</summary>
    public static TheoryData<string, bool> Points()
    {
        var points = new TheoryData<string, bool>();
        foreach (var point in BatchProcessor.CrashPoints) { points.Add(point, false); points.Add(point, true); }
        return points;
    }

    private static readonly byte[] Bytes = BatchKit.Utf8(BatchKit.Generate(10_000));
    private static readonly SemaphoreSlim ReferenceLock = new(1, 1);
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<AzuriteFixture, ReferenceRun> ReferenceRuns = new();

    private sealed record ReferenceRun(BatchKit Kit, Azure.Storage.Blobs.BlobClient Blob);

    /// <summary>The uninterrupted run, once per class fixture (its containers live as long as the fixture).</summary>
    private async Task<(BatchKit Kit, Azure.Storage.Blobs.BlobClient Blob)> Reference()
    {
        await ReferenceLock.WaitAsync();
        try
        {
            if (!ReferenceRuns.TryGetValue(azurite, out var run))
            {
                var kit = new BatchKit(azurite, chunkBytes: 64 * 1024, partBytes: 16 * 1024);
                var blob = await kit.Upload("crash.csv", Bytes);
                await kit.Run(blob);
                ReferenceRuns.Add(azurite, run = new ReferenceRun(kit, blob));
            }
            return (run.Kit, run.Blob);
        }
        finally { ReferenceLock.Release(); }
    }

    [Theory]
    [MemberData(nameof(Points))]
    public async Task ABatchThatDiesAtACrashPointAndIsRunAgainEndsExactlyAsAnUninterruptedRun(string point, bool gzip)
    {
        AzuriteFixture.RequireAzurite();
        var (reference, r) = await Reference();
        var kit = new BatchKit(azurite, chunkBytes: 64 * 1024, partBytes: 16 * 1024);
        var blob = gzip ? await kit.Upload("crash.csv.gz", BatchKit.Gzip(Bytes)) : await kit.Upload("crash.csv", Bytes);
        var crashed = false;
        kit.Processor.AtPoint = p => { if (p == point && !crashed) { crashed = true; throw new Crash(p); } };
        await Assert.ThrowsAsync<Crash>(async () => { await kit.Processor.StartAsync(blob.BlobContainerName, blob.Name, CancellationToken.None); await kit.Drain(); });
        Assert.True(crashed);
        var etag = BatchNames.Tag((await blob.GetPropertiesAsync()).Value.ETag.ToString());
        Assert.False((await kit.Output.GetBlobClient(BatchNames.Prefix(blob.Name, etag) + BatchNames.Summary).ExistsAsync()).Value); // not finished

        await kit.Run(blob); // the host's redelivery of the blob event (and of any chunk message not done)
        var (expected, actual) = (await reference.Summary(r), await kit.Summary(blob));
        Assert.Equal(BatchState.Completed, actual.Status);
        Assert.Equal((expected.LinesIn, expected.LinesValidated, expected.LinesRejected, expected.Claims, expected.Chunks),
            (actual.LinesIn, actual.LinesValidated, actual.LinesRejected, actual.Claims, actual.Chunks));
        Assert.Equal(await reference.Read(r, BatchNames.Results), await kit.Read(blob, BatchNames.Results));
        Assert.Equal(await reference.Read(r, BatchNames.Rejected), await kit.Read(blob, BatchNames.Rejected));
        if (gzip) Assert.False((await kit.Output.GetBlobClient(BatchNames.Prefix(blob.Name, etag) + BatchNames.Inflated).ExistsAsync()).Value);
    }
}
