using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CodePairs.Storage;

/// <summary>
/// Registers the Blob and Table clients for <see cref="StorageNames.Connection"/> through Microsoft.Extensions.Azure.
/// The setting is either a connection string (locally <c>UseDevelopmentStorage=true</c>) or, in Azure, identity-based:
/// <c>CodePairsStorage__blobServiceUri</c>, <c>__tableServiceUri</c>, <c>__queueServiceUri</c>,
/// <c>__credential=managedidentity</c> and <c>__clientId</c> (the user-assigned identity).
/// </summary>
public static class StorageClients
{
    public static IServiceCollection AddCodePairsStorageClients(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = StorageSettings.From(configuration, StorageNames.Connection);
        services.AddSingleton(settings);
        services.AddAzureClients(clients =>
        {
            if (settings.ConnectionString is { } cs)
            {
                clients.AddBlobServiceClient(cs).ConfigureOptions(StorageRetry.ConfigureUploads);
                clients.AddTableServiceClient(cs);
            }
            else
            {
                clients.AddBlobServiceClient(settings.BlobServiceUri ?? throw settings.Missing("blobServiceUri")).ConfigureOptions(StorageRetry.ConfigureUploads);
                clients.AddTableServiceClient(settings.TableServiceUri ?? throw settings.Missing("tableServiceUri"));
                clients.UseCredential(settings.Credential());
            }
            // Storage throttles with 503/500; the SDK retries those (and 408/429, resets, timeouts) as StorageRetry says,
            // the same for the CLI's and the batch door's clients.
            clients.ConfigureDefaults(o => StorageRetry.Configure(o.Retry));
        });
        return services;
    }
}

/// <summary>One storage connection setting read the way the Functions host reads it.</summary>
public sealed record StorageSettings(string Name, string? ConnectionString, Uri? BlobServiceUri, Uri? TableServiceUri, Uri? QueueServiceUri,
    string? CredentialKind, string? ClientId)
{
    public static StorageSettings From(IConfiguration configuration, string name)
    {
        var section = configuration.GetSection(name);
        var cs = section.Value;
        return new StorageSettings(name, string.IsNullOrWhiteSpace(cs) ? null : cs,
            Uri(section["blobServiceUri"]), Uri(section["tableServiceUri"]), Uri(section["queueServiceUri"]),
            section["credential"], section["clientId"]);

        static Uri? Uri(string? s) => string.IsNullOrWhiteSpace(s) ? null : new Uri(s);
    }

    public TokenCredential Credential() => string.Equals(CredentialKind, "managedidentity", StringComparison.OrdinalIgnoreCase)
        ? new ManagedIdentityCredential(string.IsNullOrWhiteSpace(ClientId) ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(ClientId))
        : new DefaultAzureCredential();

    public InvalidOperationException Missing(string key)
        => new($"storage setting '{Name}' is neither a connection string nor has '{Name}__{key}' set");

    /// <summary>The options of <see cref="CreateBlobServiceClient"/>: <see cref="StorageRetry"/>'s retries and upload
    /// checksums (<see cref="StorageRetry.ConfigureUploads"/>), then
    /// <paramref name="configure"/> (tests and harnesses add a fault-injecting policy).</summary>
    public static BlobClientOptions BlobOptions(Action<BlobClientOptions>? configure = null)
    {
        var options = new BlobClientOptions();
        StorageRetry.Configure(options.Retry);
        StorageRetry.ConfigureUploads(options);
        configure?.Invoke(options);
        return options;
    }

    /// <summary>The options of <see cref="CreateTableServiceClient"/>: <see cref="StorageRetry"/>'s retries, then
    /// <paramref name="configure"/>.</summary>
    public static TableClientOptions TableOptions(Action<TableClientOptions>? configure = null)
    {
        var options = new TableClientOptions();
        StorageRetry.Configure(options.Retry);
        configure?.Invoke(options);
        return options;
    }

    /// <summary>A Blob client outside dependency injection (the CLI, harnesses) with the service's retry settings.</summary>
    public BlobServiceClient CreateBlobServiceClient(Action<BlobClientOptions>? configure = null)
        => ConnectionString is { } cs
            ? new BlobServiceClient(cs, BlobOptions(configure))
            : new BlobServiceClient(BlobServiceUri ?? throw Missing("blobServiceUri"), Credential(), BlobOptions(configure));

    /// <summary>A Queue client with the service's retry settings, in Base64 (the Queues extension's default encoding,
    /// which the queue trigger reads); <paramref name="configure"/> as for <see cref="BlobOptions"/>.</summary>
    public QueueServiceClient CreateQueueServiceClient(Action<QueueClientOptions>? configure = null)
    {
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        StorageRetry.Configure(options.Retry);
        configure?.Invoke(options);
        return ConnectionString is { } cs
            ? new QueueServiceClient(cs, options)
            : new QueueServiceClient(QueueServiceUri ?? throw Missing("queueServiceUri"), Credential(), options);
    }

    /// <summary>A Table client outside dependency injection (the CLI, harnesses) with the service's retry settings.</summary>
    public TableServiceClient CreateTableServiceClient(Action<TableClientOptions>? configure = null)
        => ConnectionString is { } cs
            ? new TableServiceClient(cs, TableOptions(configure))
            : new TableServiceClient(TableServiceUri ?? throw Missing("tableServiceUri"), Credential(), TableOptions(configure));
}
