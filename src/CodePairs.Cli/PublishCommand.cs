using System.Collections;
using System.Diagnostics;
using CodePairs.Rules;
using CodePairs.Storage;
using Microsoft.Extensions.Configuration;

namespace CodePairs.Cli;

/// <summary>
/// <c>rules publish</c>: the one command that talks to storage. Puts the table versions of a snapshot or of CMS files
/// into the rule store with the same release protocol the refresh job uses (<see cref="RulePublisher"/>): each version
/// written, verified and snapshotted; a new rule set composed over the active one (tables not given carry over); the
/// pointer flipped; the previous rule set retired. The connection comes from <c>--connection</c>, else the
/// <c>CodePairsStorage</c> environment setting (a connection string, or identity-based <c>CodePairsStorage__blobServiceUri</c>
/// / <c>__tableServiceUri</c> / <c>__credential</c> / <c>__clientId</c>), else <c>UseDevelopmentStorage=true</c> (Azurite).
/// </summary>
public sealed class PublishCommand(Commands commands, TextWriter output, TextWriter error)
{
    /// <summary>Tests and harnesses: applied to both storage clients' options after the retry settings (which are the
    /// service's, <see cref="StorageRetry"/>), e.g. to install a fault-injecting policy.</summary>
    public Action<Azure.Core.ClientOptions>? ConfigureClients { get; init; }

    /// <summary>Tests and harnesses: the release protocol's crash-point hook (<see cref="RulePublisher.CrashPoints"/>).</summary>
    internal Action<string>? AtPoint { get; init; }

    /// <param name="names">The rule store's tables and container (default: the service's, <see cref="RuleStoreNames.Default"/>).</param>
    public int Run(IReadOnlyList<string> paths, string? connection, bool activate, int ptpParts = 4, int versionsPerTable = 4, RuleStoreNames? names = null)
    {
        try
        {
            names = (names ?? RuleStoreNames.Default).Validated();
        }
        catch (ArgumentException e)
        {
            error.WriteLine($"error: {e.Message}");
            return ExitCodes.Usage;
        }
        return Publish(paths, connection, activate, ptpParts, versionsPerTable, names);
    }

    private int Publish(IReadOnlyList<string> paths, string? connection, bool activate, int ptpParts, int versionsPerTable, RuleStoreNames names)
        => commands.Guarded(() =>
        {
            var settings = StorageSettings.From(Configuration(connection), StorageNames.Connection);
            var tables = settings.CreateTableServiceClient(o => ConfigureClients?.Invoke(o));
            var blobs = settings.CreateBlobServiceClient(o => ConfigureClients?.Invoke(o));
            var watch = Stopwatch.StartNew();
            var (rules, report) = commands.LoadOrImport(paths, ptpParts);
            if (report is not null) commands.WriteReport(report);
            var publisher = new RulePublisher(new TableRuleCatalog(tables, names.CatalogTable), new TableRuleEditsStore(tables, names.EditsTable),
                new BlobSnapshotStore(blobs, names.SnapshotsContainer), new TableCheckpointStore(tables, names.CatalogTable)) { AtPoint = AtPoint };
            PublishResult result;
            try
            {
                var origin = $"rules publish {string.Join(" ", paths.Select(Path.GetFileName))}";
                result = publisher.PublishAsync(rules, origin, new PublishOptions { Activate = activate, VersionsPerTable = versionsPerTable },
                    new Progress<PublishProgress>(p => error.WriteLine($"  {p.Step}"))).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException or AggregateException or InvalidDataException
                or InvalidOperationException or PublishException or PointerConflictException or Rules.Snapshots.SnapshotException)
            {
                commands.Done();
                error.WriteLine($"error: could not publish to storage ({(settings.ConnectionString is null ? settings.BlobServiceUri : "connection string")}): {e.Message}");
                if (e is Azure.RequestFailedException or HttpRequestException or AggregateException) error.WriteLine("is Azurite running? bash scripts/azurite.sh start");
                return ExitCodes.Failed;
            }
            commands.Done();
            output.WriteLine($"published {result.Versions.Count} table version(s) in {watch.Elapsed.TotalSeconds:N1} s ({result.EntityWrites:N0} entity writes):");
            foreach (var v in result.Versions)
                output.WriteLine($"  {v.Table.Name(),-18} {v.Version,-14} from {v.EffectiveFrom:yyyy-MM-dd} {v.Rows,10:N0} rows  {(v.Written ? "written and verified" : "already stored")}" +
                                 (v.InRuleSet ? "" : "  (not in the rule set: older than the versions kept per table)"));
            output.WriteLine(result.Unchanged ? $"rule set {result.RuleSetId} already holds every version: nothing changed"
                : activate ? $"active rule set: {result.RuleSetId} (previous: {result.Previous ?? "none"})"
                : $"rule set {result.RuleSetId} is verified, not activated");
            foreach (var t in result.Tables.GroupBy(t => t.Table))
                output.WriteLine($"  {t.Key.Name(),-18} {string.Join(", ", t.Select(x => $"{x.Version} (from {x.EffectiveFrom:yyyy-MM-dd})"))}");
            if (result.Changes.Count > 0) output.WriteLine("what changed (codepairs rules changes lists every row):");
            foreach (var c in result.Changes)
                output.WriteLine($"  {c.Table.Name(),-18} {c.From} → {c.To}: {c.Total:N0} change(s)" +
                                 (c.Counts.Count == 0 ? "" : $" ({string.Join(", ", c.Counts.Select(k => $"{k.Value:N0} {k.Key.ToString().ToLowerInvariant()}"))})") +
                                 (c.MostAffected.Count == 0 ? "" : $"; most affected: {string.Join(", ", c.MostAffected.Take(10).Select(a => $"{a.Code} ({a.Changes})"))}"));
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
