using Azure;
using Azure.Data.Tables;

namespace CodePairs.Storage;

/// <summary>
/// The job row and lease: one entity in the <c>RuleCatalog</c> table (PartitionKey <c>job</c>, RowKey <c>refresh</c>).
/// Only the holder of the lease (a running state whose expiry has not passed) writes it, and every write is
/// ETag-conditional, so two starts race for one row and exactly one wins. The holder renews the expiry as it reports
/// progress; a crashed job's lease expires and the next start takes it over (and resumes from the checkpoints).
/// </summary>
public sealed class TableRefreshJobRow(TableServiceClient tables, string tableName = StorageNames.CatalogTable, TimeProvider? clock = null) : IRefreshJobRow
{
    internal const string Partition = "job";
    internal const string Row = "refresh";
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(10);

    private readonly TableClient _table = tables.GetTableClient(tableName);
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public async Task<RefreshStatus> GetAsync(CancellationToken ct)
    {
        await _table.CreateIfNotExistsAsync(ct).ConfigureAwait(false);
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, Row, cancellationToken: ct).ConfigureAwait(false);
        return row.HasValue && row.Value is not null ? ToStatus(row.Value) : RefreshStatus.Never;
    }

    public async Task<(IRefreshLease? Lease, RefreshStatus Status)> TryAcquireAsync(string trigger, CancellationToken ct)
    {
        await _table.CreateIfNotExistsAsync(ct).ConfigureAwait(false);
        var now = _clock.GetUtcNow();
        var existing = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, Row, cancellationToken: ct).ConfigureAwait(false);
        var current = existing.HasValue ? existing.Value : null;
        if (current is not null && current.GetString("State") == JsonNames.Of(RefreshState.Running) && current.GetDateTimeOffset("LeaseExpiresAt") > now)
            return (null, ToStatus(current));
        var status = new RefreshStatus(RefreshState.Running, "starting", null, trigger, 0, 0, now, null, now + LeaseDuration,
            null, current is null ? null : $"took over from a {current.GetString("State")} job");
        var entity = ToEntity(status, Guid.NewGuid().ToString("N"));
        try
        {
            var response = current is null
                ? await _table.AddEntityAsync(entity, ct).ConfigureAwait(false)
                : await _table.UpdateEntityAsync(entity, current.ETag, TableUpdateMode.Replace, ct).ConfigureAwait(false);
            return (new Lease(this, entity.GetString("Owner")!, response.Headers.ETag!.Value, status), status);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Someone else started in between, or our own first attempt succeeded and an SDK retry of it was refused:
            // the row says whose lease it is.
            var owner = entity.GetString("Owner")!;
            var now2 = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, Row, cancellationToken: ct).ConfigureAwait(false);
            if (now2.HasValue && now2.Value is { } row && row.GetString("Owner") == owner)
                return (new Lease(this, owner, row.ETag, status), status);
            return (null, now2.HasValue && now2.Value is { } other ? ToStatus(other) : RefreshStatus.Never);
        }
    }

    private async Task<ETag> WriteAsync(RefreshStatus status, string owner, ETag etag, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var response = await _table.UpdateEntityAsync(ToEntity(status, owner), etag, TableUpdateMode.Replace, ct).ConfigureAwait(false);
                return response.Headers.ETag!.Value;
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < 5)
            {
                // A 412 after an SDK retry may be our own earlier write (its response lost): if the row is still ours,
                // write again on its ETag (which may be lost in turn); if someone took the lease over, the 412 stands
                // and this run stops.
                var current = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, Row, cancellationToken: ct).ConfigureAwait(false);
                if (!current.HasValue || current.Value is not { } row || row.GetString("Owner") != owner) throw;
                etag = row.ETag;
            }
        }
    }

    private static TableEntity ToEntity(RefreshStatus s, string owner) => new(Partition, Row)
    {
        ["State"] = JsonNames.Of(s.State), ["Step"] = s.Step, ["Drop"] = s.Drop, ["Trigger"] = s.Trigger,
        ["EntitiesWritten"] = s.EntitiesWritten, ["EntitiesTotal"] = s.EntitiesTotal,
        ["StartedAt"] = s.StartedAt, ["FinishedAt"] = s.FinishedAt, ["LeaseExpiresAt"] = s.LeaseExpiresAt,
        ["LastError"] = s.LastError is { Length: > 16_000 } e ? e[..16_000] : s.LastError, ["Outcome"] = s.Outcome, ["Owner"] = owner,
        ["Candidates"] = Candidates(s.Candidates),
    };

    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web)
        { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The candidates' outcomes as JSON, their reports dropped first when the row would outgrow a property.</summary>
    private static string Candidates(IReadOnlyList<CandidateOutcome> candidates)
    {
        var json = System.Text.Json.JsonSerializer.Serialize(candidates, Json);
        return json.Length <= 30_000 ? json : System.Text.Json.JsonSerializer.Serialize(candidates.Select(c => c with { Files = [] }), Json);
    }

    private static RefreshStatus ToStatus(TableEntity e) => new(e.GetString("State") is { } state ? JsonNames.Parse<RefreshState>(state) : RefreshState.Idle, e.GetString("Step"), e.GetString("Drop"),
        e.GetString("Trigger"), e.GetInt64("EntitiesWritten") ?? 0, e.GetInt64("EntitiesTotal") ?? 0, e.GetDateTimeOffset("StartedAt"),
        e.GetDateTimeOffset("FinishedAt"), e.GetDateTimeOffset("LeaseExpiresAt"), e.GetString("LastError"), e.GetString("Outcome"))
    {
        Candidates = e.GetString("Candidates") is { } c ? System.Text.Json.JsonSerializer.Deserialize<CandidateOutcome[]>(c, Json) ?? [] : [],
    };

    /// <summary>A held lease: every write is conditional on the row's ETag and renews the expiry.</summary>
    private sealed class Lease(TableRefreshJobRow row, string owner, ETag etag, RefreshStatus status) : IRefreshLease
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private ETag _etag = etag;
        private long _lastWriteTicks;

        public RefreshStatus Status { get; private set; } = status;

        /// <summary>Updates the row. Frequent calls (entity counts) are written at most once a second unless <paramref name="force"/>.</summary>
        public async Task ReportAsync(Func<RefreshStatus, RefreshStatus> change, bool force, CancellationToken ct)
        {
            await _gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                var now = row._clock.GetUtcNow();
                Status = change(Status) with { LeaseExpiresAt = now + LeaseDuration };
                if (!force && now.UtcTicks - _lastWriteTicks < TimeSpan.TicksPerSecond) return;
                _lastWriteTicks = now.UtcTicks;
                _etag = await row.WriteAsync(Status, owner, _etag, ct).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }

        public Task StepAsync(string step, CancellationToken ct) => ReportAsync(s => s with { Step = step }, force: true, ct);

        /// <summary>Ends the job: <c>succeeded</c> or <c>failed</c>, with the outcome or error. Written without the job's
        /// token (a cancelled job still records why); a lost final write leaves a lease that expires.</summary>
        public async Task FinishAsync(bool succeeded, string? outcome, string? error)
        {
            try
            {
                await ReportAsync(s => s with
                {
                    State = succeeded ? RefreshState.Succeeded : RefreshState.Failed, FinishedAt = row._clock.GetUtcNow(), Outcome = outcome, LastError = error,
                }, force: true, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RequestFailedException or AggregateException or IOException or OperationCanceledException)
            {
                // Someone took the lease over (ours expired: a RequestFailedException), or storage stayed down past the
                // retries (an AggregateException of the tries' errors, or a try's own when retries are off): the lease
                // expires in its time and the caller's own error, if any, is what surfaces.
            }
        }
    }
}
