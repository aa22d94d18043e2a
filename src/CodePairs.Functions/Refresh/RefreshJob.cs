using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Azure.Storage.Blobs;
using CodePairs.Functions.Rules;
using CodePairs.Rules;
using CodePairs.Rules.Cms;
using CodePairs.Rules.Snapshots;
using CodePairs.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodePairs.Functions.Refresh;

/// <summary>Why and how a refresh runs. <paramref name="Release"/> limits it to one candidate (a drop folder name or a
/// release id) and retries it even if its files failed before. <paramref name="WriteProgress"/> sees the cumulative
/// entities written (tests cancel from it to simulate a crash).</summary>
public sealed record RefreshRequest(string Trigger, string? Release = null, IProgress<int>? WriteProgress = null);

/// <summary>What happened to one candidate: <c>skipped</c> (nothing new), <c>activated</c>, <c>verified</c> (loaded but
/// older than the active release, so not activated), or <c>failed</c> (with the error).</summary>
public sealed record CandidateOutcome(string Candidate, string? ReleaseId, string Result, string Detail);

/// <summary>The job's result: whether this call ran it (false: another run holds the lease), and the job row after.</summary>
public sealed record RefreshOutcome(bool Started, RefreshStatus Status, IReadOnlyList<CandidateOutcome> Candidates)
{
    public IReadOnlyDictionary<string, TimeSpan> StepTimes { get; init; } = new Dictionary<string, TimeSpan>();
    public long EntityWrites { get; init; }
}

/// <summary>Where the job keeps things; the defaults are the service's names, tests use their own.</summary>
public sealed record RefreshStores(IRuleCatalog Catalog, TableReleaseEditsStore Edits, ISnapshotStore Snapshots, RefreshJobRow JobRow,
    RefreshCheckpoints Checkpoints, DropContainerSource Drop, UrlSource? Urls)
{
    public ReleasePublisher Publisher(TimeProvider clock) => new(Catalog, Edits, Snapshots, clock);
}

/// <summary>
/// The scheduled rule refresh: discover → fetch (hash) → parse (strict) → write with per-partition checkpoints → verify
/// (row counts per table, spot checks read back) → snapshot → flip the active pointer (ETag-conditional) → retention.
/// One run at a time (the job row's lease); every step is idempotent, so a rerun after a crash resumes and ends in
/// the same stored state. The active set keeps serving until a new release is verified and the pointer moves.
/// </summary>
public sealed class RefreshJob(RefreshStores stores, IOptions<RefreshOptions> options, TimeProvider clock, ILogger<RefreshJob> logger,
    RuleSetCache? cache = null)
{
    private readonly ReleasePublisher _publisher = stores.Publisher(clock);

    public Task<RefreshStatus> StatusAsync(CancellationToken ct) => stores.JobRow.GetAsync(ct);

    /// <summary>Takes the lease and runs the job to its end in the background (the HTTP start); or says who holds it.</summary>
    public async Task<(bool Started, RefreshStatus Status, Task<RefreshOutcome>? Run)> StartAsync(RefreshRequest request, CancellationToken ct)
    {
        var (lease, status) = await stores.JobRow.TryAcquireAsync(request.Trigger, ct);
        if (lease is null) return (false, status, null);
        // The run outlives the request; a host that stops mid-run leaves a lease that expires and a resumable state.
        var run = Task.Run(() => RunLeasedAsync(lease, request, CancellationToken.None), CancellationToken.None);
        return (true, status, run);
    }

    /// <summary>Runs the job now (the timer), unless another run holds the lease.</summary>
    public async Task<RefreshOutcome> RunAsync(RefreshRequest request, CancellationToken ct)
    {
        var (lease, status) = await stores.JobRow.TryAcquireAsync(request.Trigger, ct);
        if (lease is null)
        {
            Log.RefreshAlreadyRunning(logger, status.Trigger ?? "?", status.Step ?? "?");
            return new RefreshOutcome(false, status, []);
        }
        return await RunLeasedAsync(lease, request, ct);
    }

    private async Task<RefreshOutcome> RunLeasedAsync(RefreshJobRow.Lease lease, RefreshRequest request, CancellationToken ct)
    {
        var run = new Run(lease, request);
        var work = Path.Combine(Path.GetTempPath(), "codepairs-refresh-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            await run.StepAsync("discover", ct);
            var candidates = new List<IncomingRelease>(await stores.Drop.DiscoverAsync(ct));
            string? sourceError = null;
            if (stores.Urls is not null && options.Value.Urls().Count > 0)
            {
                try { if (await stores.Urls.DiscoverAsync(ct) is { } fromUrls) candidates.Add(fromUrls); }
                catch (Exception e) when (e is ReleaseSourceException or HttpRequestException or Polly.Timeout.TimeoutRejectedException)
                {
                    sourceError = "URL source: " + e.Message; // the drop container's candidates still run
                }
            }
            if (request.Release is { } only)
                candidates = candidates.Where(c => c.Name.Equals(only, StringComparison.OrdinalIgnoreCase)).ToList();
            run.Time("discover");

            foreach (var candidate in candidates.OrderBy(c => c.Name, StringComparer.Ordinal))
                run.Outcomes.Add(await ProcessAsync(run, candidate, Path.Combine(work, run.Outcomes.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)), ct));

            await run.StepAsync("retention", ct);
            await RetainAsync(ct);
            run.Time("retention");

            var failed = run.Outcomes.Where(o => o.Result == "failed").Select(o => $"{o.Candidate}: {o.Detail}").ToList();
            if (sourceError is not null) failed.Insert(0, sourceError);
            if (request.Release is not null && candidates.Count == 0) failed.Add($"no candidate named '{request.Release}' (drop folder with a ready marker)");
            var summary = run.Outcomes.Count == 0 ? "nothing new" : string.Join("; ", run.Outcomes.Select(o => $"{o.Candidate}: {o.Result}"));
            await lease.FinishAsync(failed.Count == 0, summary, failed.Count == 0 ? null : string.Join("\n", failed));
            Log.RefreshFinished(logger, summary, failed.Count);
            return run.Outcome(lease.Status);
        }
        catch (Exception e)
        {
            var cancelled = e is OperationCanceledException;
            await lease.FinishAsync(false, null, cancelled ? $"cancelled during {lease.Status.Step}; the next run resumes from the checkpoints" : e.Message);
            Log.RefreshFailed(logger, e, lease.Status.Step ?? "?");
            throw;
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private async Task<CandidateOutcome> ProcessAsync(Run run, IncomingRelease candidate, string work, CancellationToken ct)
    {
        Directory.CreateDirectory(work);
        await run.StepAsync($"fetch {candidate.Name}", ct);
        var local = new Dictionary<string, string>(StringComparer.Ordinal);
        var hashes = new List<(string Name, string Sha)>();
        foreach (var file in candidate.Files)
        {
            var sha = file.Sha256;
            if (sha is null)
            {
                // No recorded hash (a fresh upload): download once, hash, and record it on the blob for the next run.
                (local[file.Name], sha) = await DownloadAsync(file, work, ct);
                await ArchiveAsync(file, sha, ct);
                await Blob(file).SetMetadataAsync(new Dictionary<string, string> { ["sha256"] = sha }, cancellationToken: ct);
            }
            hashes.Add((file.Name, sha));
        }
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Join('\n', hashes.OrderBy(h => h.Name, StringComparer.Ordinal).Select(h => h.Name + ":" + h.Sha)))));
        run.Time("fetch");

        var known = await stores.Checkpoints.GetContentAsync(key, ct);
        if (known?.ReleaseId is { } knownId && await stores.Catalog.GetAsync(knownId, ct) is { } entry)
        {
            switch (entry.Status)
            {
                case ReleaseStatus.Active or ReleaseStatus.Retired or ReleaseStatus.Deleted:
                    return new CandidateOutcome(candidate.Name, knownId, "skipped", $"already loaded ({entry.Status.ToString().ToLowerInvariant()})");
                case ReleaseStatus.Verified:
                    return await ActivateAsync(run, candidate.Name, entry.Id, entry.EffectiveFrom, ct); // crashed before the flip
            }
            // Loading: a crashed or failed run; parse again and resume from the checkpoints.
        }
        else if (known is { Error: { } previous } && run.Request.Release is null)
            return new CandidateOutcome(candidate.Name, null, "skipped", $"these files failed before (name the release to retry): {previous}");

        await run.StepAsync($"parse {candidate.Name}", ct);
        foreach (var file in candidate.Files.Where(f => !local.ContainsKey(f.Name)))
        {
            var (path, sha) = await DownloadAsync(file, work, ct);
            if (sha != file.Sha256)
                return await FailAsync(candidate, key, null, $"{file.Name}: SHA-256 is {sha}, the blob's metadata says {file.Sha256}", ct);
            local[file.Name] = path;
        }
        CmsImportResult imported;
        try
        {
            imported = CmsImport.Import(local.Select(f => new CmsInput(f.Key, () => File.OpenRead(f.Value))), ZipLimits.Default);
        }
        catch (CmsFileException e)
        {
            return await FailAsync(candidate, key, ReleaseIdFromNames(candidate), e.Message, ct);
        }
        var rules = RuleSet.Build(imported.Release);
        var release = rules.Releases[0];
        run.Time("parse");

        var existing = await stores.Catalog.GetAsync(release.Id, ct);
        if (existing is { Status: not ReleaseStatus.Loading } && known?.ReleaseId != release.Id)
            return await FailAsync(candidate, key, null,
                $"release {release.Id} is already in the catalogue ({existing.Status.ToString().ToLowerInvariant()}) from other files; " +
                "a corrected release needs its own release id", ct);
        await stores.Checkpoints.SetContentAsync(new ContentRecord(key, release.Id, null, clock.GetUtcNow()), ct);
        var created = existing?.CreatedAt ?? clock.GetUtcNow();
        await stores.Catalog.UpsertAsync(Entry(release, ReleaseStatus.Loading, null, created, null), ct);

        // Write: partition-sized transactions; committed partitions are checkpointed and skipped by a rerun.
        await run.StepAsync($"write {release.Id}", ct);
        var batches = TableReleaseEditsStore.Plan(release, rules.Codes);
        var committed = await stores.Checkpoints.CommittedAsync(release.Id, key, ct);
        var total = batches.Sum(b => (long)b.Entities.Count);
        var skipped = batches.Where(b => committed.Contains(b.PartitionKey)).Sum(b => (long)b.Entities.Count);
        await run.Lease.ReportAsync(s => s with { Release = release.Id, EntitiesTotal = total, EntitiesWritten = skipped }, force: true, ct);
        var recorder = stores.Checkpoints.Record(release.Id, key);
        var progress = new InlineProgress(n =>
        {
            run.Request.WriteProgress?.Report(n);
            _ = run.Lease.ReportAsync(s => s with { EntitiesWritten = skipped + n }, force: false, CancellationToken.None)
                .ContinueWith(t => _ = t.Exception, TaskScheduler.Default); // progress is best effort
        });
        int written;
        try
        {
            (written, _) = await stores.Edits.WriteAsync(batches, progress, committed, recorder.CommittedAsync, ct,
                options.Value.MaxEntityWritesPerSecond);
        }
        finally
        {
            // Keep what did commit, even when stopping; a hard crash loses these and the rerun only rewrites them.
            try { await recorder.FlushAsync(CancellationToken.None); } catch (Azure.RequestFailedException) { }
        }
        run.EntityWrites += written;
        await run.Lease.ReportAsync(s => s with { EntitiesWritten = skipped + written }, force: true, ct);
        run.Time("write");

        await run.StepAsync($"verify {release.Id}", ct);
        if (await VerifyAsync(release, rules.Codes, ct) is { } problem)
        {
            await stores.Catalog.UpsertAsync(Entry(release, ReleaseStatus.Loading, null, created, problem), ct);
            return new CandidateOutcome(candidate.Name, release.Id, "failed", problem);
        }
        run.Time("verify");

        await run.StepAsync($"snapshot {release.Id}", ct);
        using (var buffer = new MemoryStream())
        {
            RuleSnapshot.Write(buffer, rules, release);
            buffer.Position = 0;
            var sha = await stores.Snapshots.UploadAsync(release.Id, buffer, ct);
            await stores.Catalog.UpsertAsync(Entry(release, ReleaseStatus.Verified, sha, created, null), ct);
        }
        run.Time("snapshot");
        return await ActivateAsync(run, candidate.Name, release.Id, release.EffectiveFrom, ct);
    }

    /// <summary>Flips the pointer to the release (replacing the active set; the old one is retired, kept for rollback),
    /// unless the active set already holds a later release.</summary>
    private async Task<CandidateOutcome> ActivateAsync(Run run, string candidate, string releaseId, DateOnly effectiveFrom, CancellationToken ct)
    {
        await run.StepAsync($"activate {releaseId}", ct);
        var pointer = await stores.Catalog.GetActiveAsync(ct);
        foreach (var id in pointer?.ReleaseIds ?? [])
            if (id != releaseId && await stores.Catalog.GetAsync(id, ct) is { } active && active.EffectiveFrom > effectiveFrom)
                return new CandidateOutcome(candidate, releaseId, "verified",
                    $"verified, not activated: the active release {id} starts later ({active.EffectiveFrom:yyyy-MM-dd}); activate it by hand to roll back");
        var ids = await _publisher.ActivateAsync(releaseId, replace: true, ct);
        run.Time("activate");
        if (cache is not null) await cache.RefreshAsync(force: true, ct);
        Log.ReleaseActivated(logger, releaseId);
        return new CandidateOutcome(candidate, releaseId, "activated", $"active: {string.Join(", ", ids)}");
    }

    /// <summary>Row counts per table against the parsed counts, then point reads of a few codes per table compared
    /// with the parsed rows. Returns the problem, or null.</summary>
    private async Task<string?> VerifyAsync(Release release, CodeIndex codes, CancellationToken ct)
    {
        foreach (var component in release.Components)
        {
            var stored = await stores.Edits.CountRowsAsync(release.Id, component.Table, ct);
            if (stored != component.Rows)
                return $"verification failed: {component.Table} holds {stored} rows in storage, the release has {component.Rows}";
        }
        foreach (var table in (PtpTable[])[PtpTable.Practitioner, PtpTable.Hospital])
            foreach (var code in Sample(release.PtpColumn1Codes(table, codes).ToList()))
            {
                var stored = await stores.Edits.ReadCodeAsync(release.Id, table.Name(), code, ct);
                if (stored is null || !stored.Ptp.SequenceEqual(release.PtpEdits(table, codes, code)))
                    return $"verification failed: {table.Name()} rows of {code} read back differ from the parsed rows";
            }
        foreach (var code in Sample(release.AddOnCodes(codes).ToList()))
        {
            var stored = await stores.Edits.ReadCodeAsync(release.Id, TableNames.AddOn, code, ct);
            if (stored is null || !stored.AddOns.SequenceEqual(release.AddOnEdits(codes, code)))
                return $"verification failed: {TableNames.AddOn} rows of {code} read back differ from the parsed rows";
        }
        foreach (var table in (MueTable[])[MueTable.Practitioner, MueTable.Hospital, MueTable.Dme])
            foreach (var limit in Sample(release.MueLimits(table, codes).ToList()))
            {
                var stored = await stores.Edits.ReadCodeAsync(release.Id, table.Name(), limit.Code, ct);
                if (stored?.Mue != limit)
                    return $"verification failed: {table.Name()} limit of {limit.Code} read back differs from the parsed row";
            }
        return null;
    }

    private static IEnumerable<T> Sample<T>(IReadOnlyList<T> items)
        => items.Count == 0 ? [] : new[] { 0, items.Count / 3, items.Count / 2, 2 * items.Count / 3, items.Count - 1 }.Distinct().Select(i => items[i]);

    /// <summary>Keeps the newest <see cref="RefreshOptions.RetainReleases"/> retired releases for rollback; deletes the
    /// rows (and checkpoints) of older ones and marks them deleted. Snapshot blobs are kept (small; audit).</summary>
    private async Task RetainAsync(CancellationToken ct)
    {
        var retired = (await stores.Catalog.ListAsync(ct)).Where(e => e.Status == ReleaseStatus.Retired)
            .OrderByDescending(e => e.EffectiveFrom).ThenByDescending(e => e.ActivatedAt).ToList();
        foreach (var old in retired.Skip(Math.Max(1, options.Value.RetainReleases)))
        {
            var deleted = await stores.Edits.DeleteReleaseAsync(old.Id, ct);
            await stores.Checkpoints.DeleteAsync(old.Id, ct);
            await stores.Catalog.UpsertAsync(old with { Status = ReleaseStatus.Deleted, LastError = $"rows deleted by retention ({deleted} entities)" }, ct);
            Log.ReleaseDeleted(logger, old.Id, deleted);
        }
    }

    private async Task<CandidateOutcome> FailAsync(IncomingRelease candidate, string key, string? releaseId, string error, CancellationToken ct)
    {
        await stores.Checkpoints.SetContentAsync(new ContentRecord(key, null, error, clock.GetUtcNow()), ct);
        // Record the error on the release's catalogue entry, unless that entry is a good release (never clobber one).
        if (releaseId is not null && CmsNames.TryReleaseStart(releaseId, out var start))
        {
            var existing = await stores.Catalog.GetAsync(releaseId, ct);
            if (existing is null || existing.Status == ReleaseStatus.Loading)
                await stores.Catalog.UpsertAsync(new ReleaseEntry(releaseId, start, ReleaseStatus.Loading, existing?.Components ?? [], null, null,
                    existing?.CreatedAt ?? clock.GetUtcNow(), null, error), ct);
        }
        Log.CandidateRejected(logger, candidate.Name, error);
        return new CandidateOutcome(candidate.Name, releaseId, "failed", error);
    }

    private static string? ReleaseIdFromNames(IncomingRelease candidate)
        => candidate.Files.Select(f => CmsNames.Classify(f.Name)).FirstOrDefault(n => n.Kind == CmsFileKind.Ptp)?.ReleaseId;

    /// <summary>Keeps a dropped file in the raw archive under its hash (<c>rules-archive/&lt;sha256&gt;/&lt;file&gt;</c>, as
    /// the URL source does), so a release can be rebuilt and audited after operators clear the drop folder.</summary>
    private async Task ArchiveAsync(IncomingFile file, string sha, CancellationToken ct)
    {
        if (file.Container == StorageNames.ArchiveContainer) return;
        var archive = stores.Drop.Blobs.GetBlobContainerClient(StorageNames.ArchiveContainer);
        await archive.CreateIfNotExistsAsync(cancellationToken: ct);
        var target = archive.GetBlobClient($"{sha}/{Path.GetFileName(file.Name)}");
        if (await target.ExistsAsync(ct)) return;
        var copy = await target.StartCopyFromUriAsync(Blob(file).Uri, new Azure.Storage.Blobs.Models.BlobCopyFromUriOptions
        {
            Metadata = new Dictionary<string, string> { ["sha256"] = sha, ["source"] = $"{file.Container}/{file.BlobName}" },
        }, ct);
        await copy.WaitForCompletionAsync(ct);
    }

    private BlobClient Blob(IncomingFile file)
        => stores.Drop.Blobs.GetBlobContainerClient(file.Container).GetBlobClient(file.BlobName);

    /// <summary>Copies one file to the work folder, hashing it on the way (the readers need seekable zips).</summary>
    private async Task<(string Path, string Sha256)> DownloadAsync(IncomingFile file, string work, CancellationToken ct)
    {
        var path = System.IO.Path.Combine(work, System.IO.Path.GetFileName(file.Name));
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var source = await Blob(file).OpenReadAsync(cancellationToken: ct))
        await using (var target = File.Create(path))
        {
            var buffer = new byte[1 << 20];
            int n;
            while ((n = await source.ReadAsync(buffer, ct)) > 0)
            {
                sha.AppendData(buffer, 0, n);
                await target.WriteAsync(buffer.AsMemory(0, n), ct);
            }
        }
        return (path, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }

    private static ReleaseEntry Entry(Release release, ReleaseStatus status, string? sha, DateTimeOffset created, string? error)
        => new(release.Id, release.EffectiveFrom, status, release.Components, sha is null ? null : BlobSnapshotStore.BlobName(release.Id), sha,
            created, null, error);

    /// <summary>Reports synchronously on the writer's thread (Progress&lt;T&gt; would post, and arrive late).</summary>
    private sealed class InlineProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }

    private sealed class Run(RefreshJobRow.Lease lease, RefreshRequest request)
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private readonly Dictionary<string, TimeSpan> _times = new(StringComparer.Ordinal);
        public RefreshJobRow.Lease Lease { get; } = lease;
        public RefreshRequest Request { get; } = request;
        public List<CandidateOutcome> Outcomes { get; } = [];
        public long EntityWrites { get; set; }

        public Task StepAsync(string step, CancellationToken ct)
        {
            _watch.Restart();
            return Lease.StepAsync(step, ct);
        }

        public void Time(string step) => _times[step] = _times.GetValueOrDefault(step) + _watch.Elapsed;

        public RefreshOutcome Outcome(RefreshStatus status) => new(true, status, Outcomes) { StepTimes = _times, EntityWrites = EntityWrites };
    }
}
