using System.Collections;
using System.Diagnostics;
using CodePairs.Storage;
using Microsoft.Extensions.Configuration;

namespace CodePairs.Cli;

/// <summary>
/// <c>rules publish</c>: the one command that talks to storage. Writes a release (from a snapshot or CMS files) into
/// the rule store with the same <see cref="ReleasePublisher"/> the refresh job uses, and activates it, so a fresh
/// Azurite has something to serve. The connection comes from <c>--connection</c>, else the <c>CodePairsStorage</c>
/// environment setting (a connection string, or identity-based <c>CodePairsStorage__blobServiceUri</c> / <c>__tableServiceUri</c>
/// / <c>__credential</c> / <c>__clientId</c>), else <c>UseDevelopmentStorage=true</c> (Azurite).
/// </summary>
public sealed class PublishCommand(Commands commands, TextWriter output, TextWriter error)
{
    public int Run(IReadOnlyList<string> paths, string? connection, bool activate)
        => commands.Guarded(() =>
        {
            var settings = StorageSettings.From(Configuration(connection), StorageNames.Connection);
            var tables = settings.CreateTableServiceClient();
            var blobs = settings.CreateBlobServiceClient();
            var watch = Stopwatch.StartNew();
            var rules = commands.LoadOrImport(paths);
            var release = rules.Releases.Count == 1 ? rules.Releases[0]
                : throw new IOException($"the input holds {rules.Releases.Count} releases; publish one at a time");
            var publisher = new ReleasePublisher(new TableRuleCatalog(tables), new TableReleaseEditsStore(tables), new BlobSnapshotStore(blobs));
            PublishResult result;
            try
            {
                result = publisher.PublishAsync(rules, release.Id, activate, new Progress<string>(m => error.WriteLine($"  {m}"))).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException or AggregateException or InvalidDataException or InvalidOperationException)
            {
                commands.Done();
                error.WriteLine($"error: could not publish to storage ({(settings.ConnectionString is null ? settings.BlobServiceUri : "connection string")}): {e.Message}");
                error.WriteLine("is Azurite running? bash scripts/azurite.sh start");
                return ExitCodes.Failed;
            }
            commands.Done();
            output.WriteLine($"published release {result.ReleaseId} (effective {release.EffectiveFrom:yyyy-MM-dd}) in {watch.Elapsed.TotalSeconds:N1} s:");
            output.WriteLine($"  {result.Written.Entities:N0} entities in {result.Written.Transactions:N0} transactions ({result.Written.Rows:N0} rows), snapshot sha256 {result.SnapshotSha256[..16]}…");
            output.WriteLine(activate ? $"  active releases: {string.Join(", ", result.ActiveReleaseIds)}" : "  verified, not activated");
            return ExitCodes.Ok;
        });

    private static IConfiguration Configuration(string? connection)
    {
        var values = new Dictionary<string, string?>();
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables())
            if (e.Key is string key && key.StartsWith(StorageNames.Connection, StringComparison.Ordinal))
                values[key.Replace("__", ":", StringComparison.Ordinal)] = e.Value as string;
        if (connection is not null) values[StorageNames.Connection] = connection;
        else if (!values.ContainsKey(StorageNames.Connection) && !values.Keys.Any(k => k.StartsWith(StorageNames.Connection + ":", StringComparison.Ordinal)))
            values[StorageNames.Connection] = "UseDevelopmentStorage=true";
        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }
}
