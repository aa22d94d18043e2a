using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage;
using Azure.Storage.Blobs;
using CodePairs.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CodePairs.Storage.Tests;

/// <summary>One retry setting for every storage client (issue 11: the CLI's publish used the SDK's 3 retries where the
/// service used 5, and failed at 30 % faults where the service did not).</summary>
public sealed class StorageRetryTests
{
    private static (string Mode, int MaxRetries, TimeSpan Delay, TimeSpan MaxDelay, TimeSpan NetworkTimeout) Of(RetryOptions r)
        => (r.Mode.ToString(), r.MaxRetries, r.Delay, r.MaxDelay, r.NetworkTimeout);

    private static readonly (string, int, TimeSpan, TimeSpan, TimeSpan) Expected =
        (nameof(RetryMode.Exponential), StorageRetry.MaxRetries, StorageRetry.FirstDelay, StorageRetry.MaxDelay, StorageRetry.NetworkTimeout);

    /// <summary>The service's registrations, as the Functions host builds them for a connection string.</summary>
    private static ServiceProvider ServiceProvider()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [StorageNames.Connection] = "UseDevelopmentStorage=true" })
            .Build();
        return new ServiceCollection().AddCodePairsStorage(configuration).BuildServiceProvider();
    }

    [Fact]
    public void TheServicesClientsAndTheClisClientsGetTheSameRetrySettings()
    {
        using var provider = ServiceProvider();
        // The options Microsoft.Extensions.Azure builds the registered ("Default") clients with.
        var serviceTables = provider.GetRequiredService<IOptionsMonitor<TableClientOptions>>().Get("Default");
        var serviceBlobs = provider.GetRequiredService<IOptionsMonitor<BlobClientOptions>>().Get("Default");
        Assert.NotNull(provider.GetRequiredService<TableServiceClient>());
        Assert.NotNull(provider.GetRequiredService<BlobServiceClient>());

        // What StorageSettings.CreateTableServiceClient / CreateBlobServiceClient (rules publish, the batch door) build with.
        var cliTables = StorageSettings.TableOptions();
        var cliBlobs = StorageSettings.BlobOptions();

        Assert.Equal(Expected, Of(serviceTables.Retry));
        Assert.Equal(Expected, Of(serviceBlobs.Retry));
        Assert.Equal(Of(serviceTables.Retry), Of(cliTables.Retry));
        Assert.Equal(Of(serviceBlobs.Retry), Of(cliBlobs.Retry));
    }

    [Fact]
    public void TheSettingIsFastForTransientFaultsAndCutsAStallWellBeforeFiveSeconds()
    {
        Assert.True(StorageRetry.FirstDelay <= TimeSpan.FromMilliseconds(200));
        Assert.True(StorageRetry.NetworkTimeout <= TimeSpan.FromSeconds(2.5));
        // A full-scale publish makes ≈ 5,000 requests: 13 failures in a row at 30 % is 1.6e-7 of them.
        Assert.True(Math.Pow(0.3, StorageRetry.MaxRetries + 1) * 5_000 < 0.01, "a full-scale run at 30 % fails less than once in a hundred");
        // Blob uploads in blocks small enough to send within one network timeout at 2 MB/s.
        Assert.True(StorageRetry.BlockBytes <= 2_000_000 * StorageRetry.NetworkTimeout.TotalSeconds * 1.1);
        Assert.Equal(StorageRetry.BlockBytes, StorageRetry.Transfer.MaximumTransferSize);
        Assert.Equal(StorageRetry.BlockBytes, StorageRetry.Transfer.InitialTransferSize);
    }

    [Fact]
    public void EveryBlobClientSendsAnMd5WithEachUpload()
    {
        using var provider = ServiceProvider();
        var serviceBlobs = provider.GetRequiredService<IOptionsMonitor<BlobClientOptions>>().Get("Default");

        Assert.Equal(StorageChecksumAlgorithm.MD5, serviceBlobs.TransferValidation.Upload.ChecksumAlgorithm);
        Assert.Equal(StorageChecksumAlgorithm.MD5, StorageSettings.BlobOptions().TransferValidation.Upload.ChecksumAlgorithm);
        Assert.Equal(StorageChecksumAlgorithm.MD5, StorageSettings.BlobOptions(o => o.Retry.MaxRetries = 1).TransferValidation.Upload.ChecksumAlgorithm);
    }

    [Fact]
    public void AHarnessesOptionsAreAppliedAfterTheRetrySettings()
    {
        var tables = StorageSettings.TableOptions(o => o.Retry.MaxRetries = 1);
        Assert.Equal(1, tables.Retry.MaxRetries);
        Assert.Equal(StorageRetry.NetworkTimeout, tables.Retry.NetworkTimeout);
    }
}
