using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using CodePairs.Rules;

namespace CodePairs.Storage;

/// <summary>
/// The catalogue in the <c>RuleCatalog</c> table: one entity per table version (PartitionKey <c>version</c>, RowKey
/// <c>{table}~{key}</c>), one per rule set (PartitionKey <c>ruleset</c>, RowKey = id) and the active pointer
/// (PartitionKey <c>pointer</c>, RowKey <c>active</c>), which only ever changes with an ETag-conditional write.
/// </summary>
public sealed class TableRuleCatalog : IRuleCatalog
{
    internal const string VersionPartition = "version";
    internal const string RuleSetPartition = "ruleset";
    internal const string PointerPartition = "pointer";
    internal const string PointerRowKey = "active";
    private const int MaxErrorChars = 16_000; // a string property holds 64 KiB of UTF-16; keep well inside it
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly TableClient _table;
    private readonly TimeProvider _clock;
    private Task? _created;

    public TableRuleCatalog(TableServiceClient service, string tableName = StorageNames.CatalogTable, TimeProvider? clock = null)
    {
        _table = service.GetTableClient(tableName);
        _clock = clock ?? TimeProvider.System;
    }

    // ---- table versions ----

    private static string VersionRowKey(TableId table, string key) => $"{table.Name()}~{RuleEditsLayout.ValidateVersionKey(key)}";

    public async Task<IReadOnlyList<TableVersionEntry>> ListVersionsAsync(CancellationToken ct)
    {
        var entries = new List<TableVersionEntry>();
        await foreach (var e in QueryAsync(VersionPartition, ct).ConfigureAwait(false)) entries.Add(ToVersion(e));
        return entries.OrderBy(e => e.Table).ThenBy(e => e.EffectiveFrom).ThenBy(e => e.CreatedAt).ToArray();
    }

    public async Task<TableVersionEntry?> GetVersionAsync(TableId table, string key, CancellationToken ct)
        => await GetAsync(VersionPartition, VersionRowKey(table, key), ct).ConfigureAwait(false) is { } e ? ToVersion(e) : null;

    public Task UpsertVersionAsync(TableVersionEntry entry, CancellationToken ct)
        => UpsertAsync(new TableEntity(VersionPartition, VersionRowKey(entry.Table, entry.Key))
        {
            ["Table"] = entry.Table.Name(),
            ["Key"] = entry.Key,
            ["Version"] = entry.Version,
            ["EffectiveFrom"] = Day(entry.EffectiveFrom),
            ["Rows"] = entry.Rows,
            ["RowsNeverInForce"] = entry.RowsNeverInForce,
            ["Sources"] = JsonSerializer.Serialize(entry.Sources, Json),
            ["Status"] = entry.Status.ToString(),
            ["SnapshotSha256"] = entry.SnapshotSha256,
            ["CreatedAt"] = entry.CreatedAt,
            ["LastError"] = Clip(entry.LastError),
        }, ct);

    private static TableVersionEntry ToVersion(TableEntity e) => new(
        Tables.TryParse(e.GetString("Table"), out var table) ? table : throw Corrupt(e, "Table"),
        e.GetString("Key") ?? throw Corrupt(e, "Key"),
        e.GetString("Version") ?? throw Corrupt(e, "Version"),
        ParseDay(e, "EffectiveFrom"),
        e.GetInt32("Rows") ?? 0,
        e.GetInt32("RowsNeverInForce") ?? 0,
        JsonSerializer.Deserialize<TableSource[]>(e.GetString("Sources") ?? "[]", Json) ?? [],
        Enum.TryParse<VersionStatus>(e.GetString("Status"), out var status) ? status : throw Corrupt(e, "Status"),
        e.GetString("SnapshotSha256"),
        e.GetDateTimeOffset("CreatedAt") ?? throw Corrupt(e, "CreatedAt"),
        e.GetString("LastError"));

    // ---- rule sets ----

    public async Task<IReadOnlyList<RuleSetEntry>> ListRuleSetsAsync(CancellationToken ct)
    {
        var entries = new List<RuleSetEntry>();
        await foreach (var e in QueryAsync(RuleSetPartition, ct).ConfigureAwait(false)) entries.Add(ToRuleSet(e));
        return entries.OrderBy(e => e.CreatedAt).ThenBy(e => e.Id, StringComparer.Ordinal).ToArray();
    }

    public async Task<RuleSetEntry?> GetRuleSetAsync(string id, CancellationToken ct)
        => await GetAsync(RuleSetPartition, RuleEditsLayout.ValidateRuleSetId(id), ct).ConfigureAwait(false) is { } e ? ToRuleSet(e) : null;

    public Task UpsertRuleSetAsync(RuleSetEntry entry, CancellationToken ct)
        => UpsertAsync(new TableEntity(RuleSetPartition, RuleEditsLayout.ValidateRuleSetId(entry.Id))
        {
            ["Status"] = entry.Status.ToString(),
            ["Tables"] = JsonSerializer.Serialize(entry.Tables, Json),
            ["Origin"] = Clip(entry.Origin),
            ["Previous"] = entry.Previous,
            ["SnapshotSha256"] = entry.SnapshotSha256,
            ["CreatedAt"] = entry.CreatedAt,
            ["ActivatedAt"] = entry.ActivatedAt,
            ["LastError"] = Clip(entry.LastError),
            ["Changes"] = ChangesJson(entry.Changes),
        }, ct);

    /// <summary>The change summaries as JSON, their most affected codes cut first if the property would outgrow 64 KiB.</summary>
    private static string ChangesJson(IReadOnlyList<ChangeSummary> changes)
    {
        var json = JsonSerializer.Serialize(changes, Json);
        return json.Length <= 30_000 ? json : JsonSerializer.Serialize(changes.Select(c => c with { MostAffected = c.MostAffected.Take(10).ToArray() }), Json);
    }

    private static RuleSetEntry ToRuleSet(TableEntity e) => new(
        e.RowKey,
        Enum.TryParse<RuleSetStatus>(e.GetString("Status"), out var status) ? status : throw Corrupt(e, "Status"),
        JsonSerializer.Deserialize<TableRef[]>(e.GetString("Tables") ?? "[]", Json) ?? [],
        e.GetString("Origin") ?? "",
        e.GetString("Previous"),
        e.GetString("SnapshotSha256"),
        e.GetDateTimeOffset("CreatedAt") ?? throw Corrupt(e, "CreatedAt"),
        e.GetDateTimeOffset("ActivatedAt"),
        e.GetString("LastError"))
    {
        Changes = JsonSerializer.Deserialize<ChangeSummary[]>(e.GetString("Changes") ?? "[]", Json) ?? [],
    };

    // ---- the pointer ----

    public async Task<ActivePointer?> GetActiveAsync(CancellationToken ct)
        => await GetAsync(PointerPartition, PointerRowKey, ct).ConfigureAwait(false) is { } e
            ? new ActivePointer(e.GetString("RuleSetId") ?? throw Corrupt(e, "RuleSetId"), e.GetDateTimeOffset("UpdatedAt") ?? e.Timestamp ?? DateTimeOffset.MinValue, e.ETag)
            : null;

    public async Task<ActivePointer> SetActiveAsync(string ruleSetId, ETag? expected, CancellationToken ct)
    {
        RuleEditsLayout.ValidateRuleSetId(ruleSetId);
        await EnsureTableAsync(ct).ConfigureAwait(false);
        var now = _clock.GetUtcNow();
        var entity = new TableEntity(PointerPartition, PointerRowKey) { ["RuleSetId"] = ruleSetId, ["UpdatedAt"] = now };
        try
        {
            var response = expected is { } etag
                ? await _table.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, ct).ConfigureAwait(false)
                : await _table.AddEntityAsync(entity, ct).ConfigureAwait(false);
            return new ActivePointer(ruleSetId, now, response.Headers.ETag ?? throw new InvalidOperationException("the pointer write returned no ETag"));
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 409 or 404)
        {
            // 412 (stale ETag) / 409 (already exists) / 404 (update of a missing pointer). After an SDK retry the
            // "conflict" may be our own first attempt that succeeded: if the stored id is ours, it is a success.
            var current = await GetActiveAsync(ct).ConfigureAwait(false);
            if (current is not null && current.RuleSetId == ruleSetId) return current;
            throw new PointerConflictException(ruleSetId, current, ex);
        }
    }

    // ---- plumbing ----

    private async IAsyncEnumerable<TableEntity> QueryAsync(string partition, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await EnsureTableAsync(ct).ConfigureAwait(false);
        await foreach (var e in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), cancellationToken: ct).ConfigureAwait(false))
            yield return e;
    }

    private async Task<TableEntity?> GetAsync(string partition, string rowKey, CancellationToken ct)
    {
        await EnsureTableAsync(ct).ConfigureAwait(false);
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(partition, rowKey, cancellationToken: ct).ConfigureAwait(false);
        return response.HasValue ? response.Value : null;
    }

    private async Task UpsertAsync(TableEntity entity, CancellationToken ct)
    {
        TableBatchPlanner.ValidateEntity(entity);
        await EnsureTableAsync(ct).ConfigureAwait(false);
        await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, ct).ConfigureAwait(false);
    }

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly ParseDay(TableEntity e, string property)
        => DateOnly.TryParseExact(e.GetString(property), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : throw Corrupt(e, property);

    private static string? Clip(string? s) => s is { Length: > MaxErrorChars } ? s[..MaxErrorChars] : s;

    private static InvalidDataException Corrupt(TableEntity e, string property)
        => new($"catalogue entity ({e.PartitionKey}, {e.RowKey}) has no valid {property}");

    private Task EnsureTableAsync(CancellationToken ct)
    {
        var created = _created;
        if (created is { IsCompletedSuccessfully: true }) return created;
        return _created = _table.CreateIfNotExistsAsync(ct);
    }
}
