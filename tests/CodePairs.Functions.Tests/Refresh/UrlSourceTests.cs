using System.Net;
using System.Security.Cryptography;
using Azure.Storage.Blobs;
using CodePairs.Functions.Refresh;
using CodePairs.Storage;
using CodePairs.Functions.Tests.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CodePairs.Functions.Tests.Refresh;

/// <summary>The URL source against a loopback HTTP server and a real Azurite archive container.</summary>
public sealed class UrlSourceTests : IAsyncLifetime
{
    private WebApplication? _server;
    private string _base = "";
    private int _flakyCalls;
    private static readonly byte[] Zip = RandomNumberGenerator.GetBytes(300_000);

    private static BlobServiceClient Blobs()
    {
        AzuriteFixture.RequireAzurite();
        return new BlobServiceClient(AzuriteFixture.ConnectionString);
    }

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _server = builder.Build();
        _server.MapGet("/files/ok-f1.zip", () => Results.Bytes(Zip, "application/zip"));
        _server.MapGet("/files/flaky-f2.zip", () => Interlocked.Increment(ref _flakyCalls) == 1
            ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable)
            : Results.Bytes(Zip, "application/zip"));
        _server.MapGet("/files/missing.zip", () => Results.NotFound());
        // A whole small release, as CMS publishes it, for the job's URL path.
        _server.MapGet("/cms/{name}", (string name) => RefreshFiles.Small("v321r0").TryGetValue(name, out var bytes)
            ? Results.Bytes(bytes, "application/zip") : Results.NotFound());
        // Streams more than the cap without announcing a length, so only the running count can catch it.
        _server.MapGet("/files/huge.zip", async (HttpContext ctx) =>
        {
            ctx.Response.ContentType = "application/zip";
            var chunk = new byte[64 * 1024];
            for (var i = 0; i < 40; i++) await ctx.Response.Body.WriteAsync(chunk);
        });
        await _server.StartAsync();
        _base = _server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    /// <summary>The URL source as the service composes it, downloading these files of the loopback server.</summary>
    private Task<IncomingRelease?> Discover(params string[] files)
    {
        var urls = files.Select(f => $"{_base}/files/{f}").ToArray();
        return SourceOf(urls).DiscoverAsync(urls.Select(u => new Uri(u)).ToArray(), default);
    }

    private IUrlSource SourceOf(string[] urls)
    {
        var settings = new Dictionary<string, string?>
        {
            ["CodePairs:Rules:UrlSources"] = string.Join(';', urls),
            ["CodePairs:Rules:MaxDownloadBytes"] = "1000000",
        };
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddSingleton(Blobs());
        services.AddCodePairsRefresh(services.BuildServiceProvider().GetRequiredService<IConfiguration>());
        return services.BuildServiceProvider().GetRequiredService<IUrlSource>();
    }

    [Fact]
    public async Task ArchivesEachDownloadUnderItsSha256()
    {
        var release = await Discover("ok-f1.zip");
        var file = Assert.Single(release!.Files);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Zip));
        Assert.Equal(hash, file.Sha256);
        Assert.Equal(Zip.Length, file.Size);
        Assert.Equal($"{hash}/ok-f1.zip", file.BlobName);
        var blob = Blobs().GetBlobContainerClient(StorageNames.ArchiveContainer).GetBlobClient(file.BlobName);
        var props = await blob.GetPropertiesAsync();
        Assert.Equal(hash, props.Value.Metadata["sha256"]);
        Assert.Equal(Zip.Length, props.Value.ContentLength);
    }

    [Fact]
    public async Task RetriesA503ThenSucceeds()
    {
        var release = await Discover("flaky-f2.zip");
        Assert.Equal(2, _flakyCalls);
        Assert.Equal(Zip.Length, Assert.Single(release!.Files).Size);
    }

    [Fact]
    public async Task RefusesADownloadLargerThanTheCap()
    {
        var e = await Assert.ThrowsAsync<ReleaseSourceException>(() => Discover("huge.zip"));
        Assert.Contains("huge.zip exceeds the cap of 1000000 bytes", e.Message);
    }

    [Fact]
    public async Task NamesTheFileAndStatusOfAFailedDownload()
    {
        var e = await Assert.ThrowsAsync<ReleaseSourceException>(() => Discover("missing.zip"));
        Assert.Equal("download of missing.zip failed: HTTP 404 after retries", e.Message);
    }

    [Fact]
    public async Task TheSameFilesGiveTheSameCandidateName()
    {
        var a = await Discover("ok-f1.zip");
        var b = await Discover("ok-f1.zip");
        Assert.Equal(a!.Name, b!.Name);
    }

    [Fact]
    public async Task TheRefreshJobLoadsAReleaseFromTheUrlListAndSkipsTheSameDownloadsNextTime()
    {
        var urls = RefreshFiles.Small("v321r0").Keys.Select(n => $"{_base}/cms/{n}").ToArray();
        var azurite = new AzuriteFixture();
        try
        {
            var world = new RefreshWorld(azurite, urls: SourceOf(urls), options: new RefreshOptions { UrlSources = string.Join(';', urls) });

            var first = await world.Job.RunAsync(new RefreshRequest("timer"), default);
            var loaded = Assert.Single(first.Candidates);
            Assert.Equal(CandidateResult.Activated, loaded.Result);
            Assert.StartsWith("url-", loaded.Candidate);
            Assert.Equal(loaded.RuleSetId, await world.ActiveIdAsync());
            Assert.All((await world.ActiveAsync()).Tables.Where(t => CodePairs.Rules.Tables.Kind(t.Table) == CodePairs.Rules.TableKind.Ptp), t => Assert.Equal("v321r0", t.Version));

            var second = await world.Job.RunAsync(new RefreshRequest("timer"), default);
            Assert.Equal(CandidateResult.Skipped, Assert.Single(second.Candidates).Result);
            Assert.Equal(0, second.EntityWrites);
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }
}
