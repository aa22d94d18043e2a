using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using CodePairs.Rules;

namespace CodePairs.Storage;

/// <summary>
/// The release catalogue in the <c>RuleCatalog</c> table: one entity per release (PartitionKey <c>release</c>,
/// RowKey = release id) and the active pointer (PartitionKey <c>pointer</c>, RowKey <c>active</c>), which only ever
/// changes with an ETag-conditional write.
/// </summary>
public sealed class TableRuleCatalog : IRuleCatalog
{
    internal const string ReleasePartition = "release";
    internal const string PointerPartition = "pointer";
    internal const string PointerRowKey = "active";
    private const int MaxErrorChars = 16_000; // a string property holds 64 KiB of UTF-16; keep well inside it

    private readonly TableClient _table;
    private readonly TimeProvider _clock;
    private Task? _created;

    public TableRuleCatalog(TableServiceClient service, string tableName = StorageNames.CatalogTable, TimeProvider? clock = null)
    {
        _table = service.GetTableClient(tableName);
        _clock = clock ?? TimeProvider.System;
    }

    public async Task<IReadOnlyList<ReleaseEntry>> ListAsync(CancellationToken ct)
    {
        await EnsureTableAsync(ct).ConfigureAwait(false);
        var entries = new List<ReleaseEntry>();
        await foreach (var e in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {ReleasePartition}"), cancellationToken: ct).ConfigureAwait(false))
            entries.Add(ToEntry(e));
        return entries.OrderBy(e => e.EffectiveFrom).ThenBy(e => e.Id, StringComparer.Ordinal).ToArray();
    }

    public async Task<ReleaseEntry?> GetAsync(string releaseId, CancellationToken ct)
    {
        RuleEditsLayout.ValidateReleaseId(releaseId);
        await EnsureTableAsync(ct).ConfigureAwait(false);
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(ReleasePartition, releaseId, cancellationToken: ct).ConfigureAwait(false);
        return response.HasValue && response.Value is not null ? ToEntry(response.Value) : null;
    }

    public async Task UpsertAsync(ReleaseEntry entry, CancellationToken ct)
    {
        RuleEditsLayout.ValidateReleaseId(entry.Id);
        var entity = new TableEntity(ReleasePartition, entry.Id)
        {
            ["EffectiveFrom"] = entry.EffectiveFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["Status"] = entry.Status.ToString(),
            ["Components"] = JsonSerializer.Serialize(entry.Components.Select(c => new ComponentDto(c.Table, c.Version, c.Rows, c.EffectiveFrom))),
            ["SnapshotBlob"] = entry.SnapshotBlob,
            ["SnapshotSha256"] = entry.SnapshotSha256,
            ["CreatedAt"] = entry.CreatedAt,
            ["ActivatedAt"] = entry.ActivatedAt,
            ["LastError"] = entry.LastError is { Length: > MaxErrorChars } e ? e[..MaxErrorChars] : entry.LastError,
        };
        TableBatchPlanner.ValidateEntity(entity);
        await EnsureTableAsync(ct).ConfigureAwait(false);
        await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, ct).ConfigureAwait(false);
    }

    public async Task<ActivePointer?> GetActiveAsync(CancellationToken ct)
    {
        await EnsureTableAsync(ct).ConfigureAwait(false);
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(PointerPartition, PointerRowKey, cancellationToken: ct).ConfigureAwait(false);
        return response.HasValue && response.Value is not null ? ToPointer(response.Value) : null;
    }

    public async Task<ActivePointer> SetActiveAsync(IReadOnlyList<string> releaseIds, ETag? expected, CancellationToken ct)
    {
        if (releaseIds.Count == 0) throw new ArgumentException("the active pointer names at least one release", nameof(releaseIds));
        foreach (var id in releaseIds) RuleEditsLayout.ValidateReleaseId(id);
        await EnsureTableAsync(ct).ConfigureAwait(false);
        var now = _clock.GetUtcNow();
        var entity = new TableEntity(PointerPartition, PointerRowKey)
        {
            ["ReleaseIds"] = JsonSerializer.Serialize(releaseIds),
            ["UpdatedAt"] = now,
        };
        try
        {
            var response = expected is { } etag
                ? await _table.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, ct).ConfigureAwait(false)
                : await _table.AddEntityAsync(entity, ct).ConfigureAwait(false);
            return new ActivePointer(releaseIds.ToArray(), now, response.Headers.ETag ?? throw new InvalidOperationException("the pointer write returned no ETag"));
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 409 or 404)
        {
            // 412 (stale ETag) / 409 (already exists) / 404 (update of a missing pointer). After an SDK retry the
            // "conflict" may be our own first attempt that succeeded: if the stored ids are ours, it is a success.
            var current = await GetActiveAsync(ct).ConfigureAwait(false);
            if (current is not null && current.ReleaseIds.SequenceEqual(releaseIds, StringComparer.Ordinal)) return current;
            throw new PointerConflictException(releaseIds, current, ex);
        }
    }

    private static ReleaseEntry ToEntry(TableEntity e) => new(
        e.RowKey,
        DateOnly.ParseExact(e.GetString("EffectiveFrom") ?? throw Corrupt(e, "EffectiveFrom"), "yyyy-MM-dd", CultureInfo.InvariantCulture),
        Enum.TryParse<ReleaseStatus>(e.GetString("Status"), out var status) ? status : throw Corrupt(e, "Status"),
        (JsonSerializer.Deserialize<ComponentDto[]>(e.GetString("Components") ?? "[]") ?? [])
            .Select(c => new ReleaseComponent(c.Table, c.Version, c.Rows, c.EffectiveFrom)).ToArray(),
        e.GetString("SnapshotBlob"),
        e.GetString("SnapshotSha256"),
        e.GetDateTimeOffset("CreatedAt") ?? throw Corrupt(e, "CreatedAt"),
        e.GetDateTimeOffset("ActivatedAt"),
        e.GetString("LastError"));

    private static ActivePointer ToPointer(TableEntity e) => new(
        JsonSerializer.Deserialize<string[]>(e.GetString("ReleaseIds") ?? throw Corrupt(e, "ReleaseIds")) ?? [],
        e.GetDateTimeOffset("UpdatedAt") ?? e.Timestamp ?? DateTimeOffset.MinValue,
        e.ETag);

    private static InvalidDataException Corrupt(TableEntity e, string property)
        => new($"catalogue entity ({e.PartitionKey}, {e.RowKey}) has no valid {property}");

    private Task EnsureTableAsync(CancellationToken ct)
    {
        var created = _created;
        if (created is { IsCompletedSuccessfully: true }) return created;
        return _created = _table.CreateIfNotExistsAsync(ct);
    }

    private sealed record ComponentDto(string Table, string Version, int Rows, DateOnly EffectiveFrom);
}
