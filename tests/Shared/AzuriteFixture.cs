using System.Net.Sockets;
using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace CodePairs.Tests.Shared;

/// <summary>
/// The real Azurite at <c>UseDevelopmentStorage=true</c>. Each test class gets its own uniquely named tables and
/// containers (deleted afterwards), so classes run in parallel and repeatedly. No Azurite = a failing test that says
/// how to start it, never a silent skip.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string ConnectionString = "UseDevelopmentStorage=true";
    private readonly List<string> _tables = [];
    private readonly List<string> _containers = [];

    public TableServiceClient Tables { get; } = new(ConnectionString);
    public BlobServiceClient Blobs { get; } = new(ConnectionString);

    public string NewTableName(string prefix) { var n = prefix + Guid.NewGuid().ToString("N")[..16]; lock (_tables) _tables.Add(n); return n; }
    public string NewContainerName(string prefix) { var n = prefix + "-" + Guid.NewGuid().ToString("N")[..16]; lock (_containers) _containers.Add(n); return n; }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Fails with instructions when Azurite's blob or table port is closed.</summary>
    public static void RequireAzurite()
    {
        foreach (var port in new[] { 10000, 10002 })
        {
            using var client = new TcpClient();
            try
            {
                if (!client.ConnectAsync("127.0.0.1", port).Wait(TimeSpan.FromSeconds(2)))
                    throw new TimeoutException();
            }
            catch (Exception ex) when (ex is SocketException or TimeoutException or AggregateException)
            {
                Assert.Fail($"Azurite is not reachable on 127.0.0.1:{port} (UseDevelopmentStorage=true). " +
                            "Start it with `bash scripts/azurite.sh start` and run the tests again.");
            }
        }
    }

    public async Task DisposeAsync()
    {
        try
        {
            foreach (var t in _tables) await Tables.DeleteTableAsync(t);
            foreach (var c in _containers) await Blobs.GetBlobContainerClient(c).DeleteIfExistsAsync();
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException)
        {
            // Best-effort cleanup: Azurite runs in memory and the names are unique.
        }
    }
}
