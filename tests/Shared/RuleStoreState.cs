using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CodePairs.Rules;
using CodePairs.Storage;

namespace CodePairs.Tests.Shared;

/// <summary>
/// The final state of one rule store, as the fault and kill -9 checks compare it (issue 11, points 4-5): the active
/// pointer; every catalogue entry of a table version (status, rows, sources, snapshot hash, error) and of a rule set
/// (status, table versions, origin, previous, snapshot hash, change summaries); the drop records (content key, rule set,
/// error, report); the checkpoints left; per table version the entities and rows in the edits table and a SHA-256 over
/// their keys and properties; every snapshot blob's SHA-256, computed from its bytes, and the one in its metadata.
/// Times (created, activated, ETags, timestamps) are left out: they differ between two correct runs. Read with
/// fault-free clients.
/// </summary>
public sealed partial record RuleStoreState(IReadOnlyList<string> Lines)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Sha256 => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', Lines))));

    /// <summary>One line for a log: the pointer, counts, and the hash of the whole state.</summary>
    public string Summary { get; init; } = "";

    public override string ToString() => Summary;

    public bool Equals(RuleStoreState? other) => other is not null && Lines.SequenceEqual(other.Lines, StringComparer.Ordinal);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Sha256);

    /// <summary>The lines of this state that the other lacks, and the other's that this one lacks (for a failure message).</summary>
    public string Diff(RuleStoreState other)
        => string.Join('\n', Lines.Except(other.Lines, StringComparer.Ordinal).Select(l => "- " + Clip(l))
            .Concat(other.Lines.Except(Lines, StringComparer.Ordinal).Select(l => "+ " + Clip(l))).Take(40));

    public static async Task<RuleStoreState> ReadAsync(TableServiceClient tables, BlobServiceClient blobs, RuleStoreNames names, CancellationToken ct = default)
    {
        var lines = new List<string>();
        var catalog = new TableRuleCatalog(tables, names.CatalogTable);
        var pointer = await catalog.GetActiveAsync(ct);
        lines.Add($"pointer {pointer?.RuleSetId ?? "(none)"}");

        var versions = await catalog.ListVersionsAsync(ct);
        foreach (var v in versions.OrderBy(v => v.Table).ThenBy(v => v.Key, StringComparer.Ordinal))
            lines.Add($"version {v.Table.Name()}~{v.Key} {v.Version} from={v.EffectiveFrom:yyyy-MM-dd} rows={v.Rows} neverInForce={v.RowsNeverInForce} " +
                      $"status={v.Status} snapshot={v.SnapshotSha256 ?? "-"} sources={JsonSerializer.Serialize(v.Sources, Json)} error={v.LastError ?? "-"}");
        var sets = await catalog.ListRuleSetsAsync(ct);
        foreach (var r in sets.OrderBy(r => r.Id, StringComparer.Ordinal))
            lines.Add($"ruleset {r.Id} status={r.Status} tables={string.Join(',', r.Tables.Select(t => $"{t.Table.Name()}~{t.Key}"))} origin={r.Origin} " +
                      $"previous={r.Previous ?? "-"} snapshot={r.SnapshotSha256 ?? "-"} error={r.LastError ?? "-"} changes={JsonSerializer.Serialize(r.Changes, Json)}");

        var catalogTable = tables.GetTableClient(names.CatalogTable);
        var checkpoints = 0;
        await foreach (var e in catalogTable.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey ge {"checkpoint-"} and PartitionKey lt {"checkpoint."}"),
                           select: ["PartitionKey", "RowKey"], cancellationToken: ct))
            checkpoints++;
        lines.Add($"checkpoints {checkpoints}");
        var drops = new List<string>();
        await foreach (var e in catalogTable.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"drop"}"), cancellationToken: ct))
            drops.Add($"drop {e.RowKey} name={e.GetString("Name")} ruleset={e.GetString("RuleSetId") ?? "-"} error={e.GetString("Error") ?? "-"} " +
                      $"report={Hash(ElapsedTimes().Replace(e.GetString("Report") ?? "", ""))}");
        lines.AddRange(drops.Order(StringComparer.Ordinal));

        var edits = await EditsAsync(tables.GetTableClient(names.EditsTable), ct);
        lines.AddRange(edits.Select(e => $"edits {e.Key} entities={e.Value.Entities} rows={e.Value.Rows} sha={e.Value.Sha}"));

        var container = blobs.GetBlobContainerClient(names.SnapshotsContainer);
        var blobLines = new List<string>();
        long largest = 0;
        if ((await container.ExistsAsync(ct)).Value)
            await foreach (var item in container.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, null, ct))
            {
                await using var stream = await container.GetBlobClient(item.Name).OpenReadAsync(cancellationToken: ct);
                var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
                blobLines.Add($"blob {item.Name} sha={sha} metadata={(item.Metadata.TryGetValue(BlobSnapshotStore.Sha256Metadata, out var meta) ? meta : "-")} bytes={item.Properties.ContentLength}");
                largest = Math.Max(largest, item.Properties.ContentLength ?? 0);
            }
        lines.AddRange(blobLines.Order(StringComparer.Ordinal));

        var state = new RuleStoreState(lines);
        return state with
        {
            Summary = $"active={pointer?.RuleSetId ?? "none"} versions={versions.Count(v => v.Status == VersionStatus.Verified)} verified of {versions.Count} " +
                      $"ruleSets={string.Join('/', sets.GroupBy(s => s.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}"))} " +
                      $"edits={edits.Values.Sum(e => e.Entities)} entities/{edits.Values.Sum(e => e.Rows)} rows checkpoints={checkpoints} drops={drops.Count} " +
                      $"snapshots={blobLines.Count} (largest {largest / 1048576.0:F1} MiB) state={state.Sha256[..16]}",
        };
    }

    /// <summary>Per table version ("{key}_{table}", the partitions' common prefix): entities, rows, and a hash over the
    /// sorted entities' keys and properties.</summary>
    private static async Task<SortedDictionary<string, (int Entities, long Rows, string Sha)>> EditsAsync(TableClient table, CancellationToken ct)
    {
        var byVersion = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        var rows = new Dictionary<string, long>(StringComparer.Ordinal);
        try
        {
            await foreach (var e in table.QueryAsync<TableEntity>(cancellationToken: ct))
            {
                var parts = e.PartitionKey.Split('_');
                var version = parts.Length >= 2 ? parts[0] + "_" + parts[1] : e.PartitionKey;
                var sb = new StringBuilder().Append(e.PartitionKey).Append('|').Append(e.RowKey);
                foreach (var (k, v) in e.Where(p => p.Key is not ("odata.etag" or "Timestamp" or "PartitionKey" or "RowKey")).OrderBy(p => p.Key, StringComparer.Ordinal))
                    sb.Append('|').Append(k).Append('=').Append(v switch
                    {
                        byte[] b => Convert.ToBase64String(b),
                        BinaryData d => Convert.ToBase64String(d.ToArray()),
                        _ => Convert.ToString(v, CultureInfo.InvariantCulture),
                    });
                if (!byVersion.TryGetValue(version, out var list)) byVersion[version] = list = [];
                list.Add(sb.ToString());
                rows[version] = rows.GetValueOrDefault(version) + RuleEditsLayout.RowCount(e);
            }
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            // no edits table yet
        }
        var result = new SortedDictionary<string, (int, long, string)>(StringComparer.Ordinal);
        foreach (var (version, list) in byVersion)
        {
            list.Sort(StringComparer.Ordinal);
            result[version] = (list.Count, rows[version], Hash(string.Join('\n', list)));
        }
        return result;
    }

    /// <summary>The import report's read times (each table's "elapsed"), which differ between two correct runs.</summary>
    [System.Text.RegularExpressions.GeneratedRegex("\"elapsed\":\"[^\"]*\",?")]
    private static partial System.Text.RegularExpressions.Regex ElapsedTimes();

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];

    private static string Clip(string line) => line.Length > 300 ? line[..300] + "…" : line;
}
