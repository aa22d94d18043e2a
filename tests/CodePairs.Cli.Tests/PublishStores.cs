using Azure.Data.Tables;
using Azure.Storage.Blobs;
using CodePairs.Storage;

namespace CodePairs.Cli.Tests;

/// <summary>Rule stores of the CLI tests' own on the shared Azurite: unique names, deleted afterwards.</summary>
internal static class PublishStores
{
    public const string Connection = "UseDevelopmentStorage=true";

    public static TableServiceClient Tables { get; } = new(Connection);
    public static BlobServiceClient Blobs { get; } = new(Connection);

    public static RuleStoreNames NewNames()
    {
        var id = Guid.NewGuid().ToString("N")[..16];
        return new RuleStoreNames("clicatalog" + id, "cliedits" + id, "cli-snapshots-" + id);
    }

    public static async Task DeleteAsync(RuleStoreNames names)
    {
        try
        {
            await Tables.DeleteTableAsync(names.CatalogTable);
            await Tables.DeleteTableAsync(names.EditsTable);
            await Blobs.GetBlobContainerClient(names.SnapshotsContainer).DeleteIfExistsAsync();
        }
        catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException)
        {
            // best effort: Azurite runs in memory and the names are unique
        }
    }
}
