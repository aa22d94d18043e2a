using System.Net.Sockets;
using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace CodePairs.Functions.Tests;

/// <summary>The real Azurite that <c>scripts/test.sh</c> starts (blob 10000, table 10002). Integration tests fail,
/// never skip, when it is not running.</summary>
internal static class Azurite
{
    public const string ConnectionString = "UseDevelopmentStorage=true";

    private static readonly Lazy<bool> Reachable = new(() =>
    {
        foreach (var port in new[] { 10000, 10002 })
        {
            try
            {
                using var client = new TcpClient();
                client.Connect("127.0.0.1", port);
            }
            catch (SocketException)
            {
                return false;
            }
        }
        return true;
    });

    private static void Require()
    {
        if (!Reachable.Value)
            throw new InvalidOperationException("Azurite is not running on 127.0.0.1:10000/10002: start it with `bash scripts/azurite.sh start` (scripts/test.sh does this).");
    }

    public static BlobServiceClient Blobs
    {
        get
        {
            Require();
            return new BlobServiceClient(ConnectionString);
        }
    }

    public static TableServiceClient Tables
    {
        get
        {
            Require();
            return new TableServiceClient(ConnectionString);
        }
    }
}
