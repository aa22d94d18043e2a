using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CodePairs.Functions.RuleSets;
using CodePairs.Rules;
using CodePairs.Rules.Cms;
using CodePairs.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodePairs.Functions.Refresh;

/// <summary>Why and how a refresh runs. <paramref name="Drop"/> limits it to one candidate (a drop folder name) and
/// retries it even if its files failed before. <paramref name="Progress"/> sees the publish as it goes (tests cancel
/// from it to simulate a crash).</summary>
public sealed record RefreshRequest(string Trigger, string? Drop = null, IProgress<PublishProgress>? Progress = null);

/// <summary>The job's result: whether this call ran it (false: another run holds the lease), and the job row after.</summary>
public sealed record RefreshOutcome(bool Started, RefreshStatus Status, IReadOnlyList<CandidateOutcome> Candidates)
{
    public IReadOnlyDictionary<string, TimeSpan> StepTimes { get; init; } = new Dictionary<string, TimeSpan>();
    public long EntityWrites { get; init; }
}

/// <summary>Where the job keeps things; the defaults are the service's names, tests use their own.</summary>
/// <param name="Files">Reads, hashes and archives the candidates' files (wherever their source put them).</param>
public sealed record RefreshStores(RulePublisher Publisher, ICheckpointStore Checkpoints, IRefreshJobRow JobRow, IDropSource Drop, IReleaseFiles Files,
    IUrlSource? Urls);

/// <summary>
/// The scheduled rule refresh: discover drops → fetch (hash, archive) → skip what was seen → read (every file
/// accounted for) → the release protocol (<see cref="RulePublisher"/>: stage each table version, compose over the
/// active rule set, flip the pointer, retention). One run at a time (the job row's lease). A drop that fails — for any
/// reason — is recorded and skipped until its files change; the other drops still run.
/// </summary>
public sealed class RefreshJob(RefreshStores stores, IOptions<RefreshOptions> options, TimeProvider clock, ILogger<RefreshJob> logger,
    RuleSetCache? cache = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The job's own crash points (the release protocol's are <see cref="RulePublisher.CrashPoints"/>): a drop's
    /// files hashed and archived, not yet read; its publish done, the drop not yet recorded; the drop recorded, the
    /// job row not yet finished.</summary>
    public static readonly string[] CrashPoints = ["fetched", "published", "recorded"];

    /// <summary>Test and chaos hook: called at each of <see cref="CrashPoints"/>, e.g. to die there.</summary>
    internal Action<string>? AtPoint { get; set; }

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

    private async Task<RefreshOutcome> RunLeasedAsync(IRefreshLease lease, RefreshRequest request, CancellationToken ct)
    {
        var run = new Run(lease, request);
        var work = Path.Combine(Path.GetTempPath(), "codepairs-refresh-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            await run.StepAsync("discover", ct);
            var (candidates, sourceError) = await DiscoverAsync(request, ct);
            run.Time("discover");

            foreach (var candidate in candidates.OrderBy(c => c.Name, StringComparer.Ordinal))
            {
                var outcome = await ProcessAsync(run, candidate, Path.Combine(work, run.Outcomes.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)), ct);
                run.Outcomes.Add(outcome);
                await lease.ReportAsync(s => s with { Candidates = run.Outcomes.ToArray() }, force: true, ct);
            }

            await FinishAsync(run, candidates.Count, sourceError);
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

    /// <summary>Ends the run: failed when any candidate failed, the source could not be listed, or the drop asked for
    /// was not there; the summary names each candidate's result.</summary>
    private async Task FinishAsync(Run run, int candidates, string? sourceError)
    {
        var failed = run.Outcomes.Where(o => o.Result == CandidateResult.Failed).Select(o => $"{o.Candidate}: {o.Detail}").ToList();
        if (sourceError is not null) failed.Insert(0, sourceError);
        if (run.Request.Drop is { } drop && candidates == 0) failed.Add($"no drop named '{drop}' (a folder of {stores.Drop.ContainerName} with a ready marker)");
        var summary = run.Outcomes.Count == 0 ? "nothing new" : string.Join("; ", run.Outcomes.Select(o => $"{o.Candidate}: {JsonNames.Of(o.Result)}"));
        await run.Lease.FinishAsync(failed.Count == 0, summary, failed.Count == 0 ? null : string.Join("\n", failed));
        Log.RefreshFinished(logger, summary, failed.Count);
    }

    private async Task<(List<IncomingRelease> Candidates, string? SourceError)> DiscoverAsync(RefreshRequest request, CancellationToken ct)
    {
        var candidates = new List<IncomingRelease>(await stores.Drop.DiscoverAsync(ct));
        string? sourceError = null;
        if (stores.Urls is not null && options.Value.Urls() is { Count: > 0 } urls)
        {
            try { if (await stores.Urls.DiscoverAsync(urls, ct) is { } fromUrls) candidates.Add(fromUrls); }
            catch (Exception e) when (e is ReleaseSourceException or HttpRequestException or Polly.Timeout.TimeoutRejectedException)
            {
                sourceError = "URL source: " + e.Message; // the drop container's candidates still run
            }
        }
        if (request.Drop is { } only) candidates = candidates.Where(c => c.Name.Equals(only, StringComparison.OrdinalIgnoreCase)).ToList();
        return (candidates, sourceError);
    }

    /// <summary>One drop through fetch, read and publish. Any failure but cancellation is this drop's alone: recorded
    /// (so it is skipped until its files change) and reported, and the run goes on to the next drop.</summary>
    private async Task<CandidateOutcome> ProcessAsync(Run run, IncomingRelease candidate, string work, CancellationToken ct)
    {
        var drop = new Drop(candidate, work);
        try
        {
            Directory.CreateDirectory(work);
            await FetchAsync(run, drop, ct);
            if (await SkipAsync(run, drop, ct) is { } skipped) return skipped;
            if (candidate.Nested.Count > 0) throw NestedFiles(candidate);
            var (imported, rules) = await ReadAsync(run, drop, ct);
            var result = await PublishAsync(run, drop, rules, ct);
            await stores.Checkpoints.SetDropAsync(new DropRecord(drop.Key!, candidate.Name, result.RuleSetId, null,
                JsonSerializer.Serialize(imported.Report, Json), clock.GetUtcNow()), ct);
            AtPoint?.Invoke("recorded");
            if (result.Activated)
            {
                if (cache is not null) await cache.RefreshAsync(force: true, ct);
                Log.RuleSetActivated(logger, result.RuleSetId);
            }
            return Succeeded(candidate, result, imported.Report);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return await FailedAsync(drop, e);
        }
    }

    /// <summary>A candidate on its way through <see cref="ProcessAsync"/>: its files as copied to the work folder, and its
    /// content key once every file's hash is known.</summary>
    private sealed class Drop(IncomingRelease candidate, string work)
    {
        public IncomingRelease Candidate { get; } = candidate;
        public string Work { get; } = work;
        public Dictionary<string, (string Path, string Sha)> Local { get; } = new(StringComparer.Ordinal);
        public string? Key { get; set; }
    }

    /// <summary>A drop with blobs in subfolders: they would not be read, so loading the rest could leave a table out of
    /// the release and still succeed. The drop fails, naming them; moving or deleting them changes its content key, so
    /// the next run reads it again.</summary>
    private static CmsFileException NestedFiles(IncomingRelease candidate)
        => new("(drop)", 0, $"its folder holds {candidate.Nested.Count} blob(s) in subfolders ({string.Join(", ", candidate.Nested.Take(5))}" +
                            $"{(candidate.Nested.Count > 5 ? ", …" : "")}), which are never read: a release's files sit directly in its folder; " +
                            "move them up or into a drop folder of their own; nothing was loaded");

    /// <summary>Fetch: the hash of every file (downloading those whose hash is not recorded), hence the content key (the
    /// names of blobs in subfolders count too, so that moving one changes it).</summary>
    private async Task FetchAsync(Run run, Drop drop, CancellationToken ct)
    {
        await run.StepAsync($"fetch {drop.Candidate.Name}", ct);
        drop.Key = ContentKey([.. await HashAsync(drop, ct), .. drop.Candidate.Nested.Select(n => (n, "in a subfolder"))]);
        run.Time("fetch");
        AtPoint?.Invoke("fetched");
    }

    /// <summary>The outcome of a drop whose files were loaded before (and still serve or can), or failed before and are
    /// not named for a retry; null when the drop is to be read.</summary>
    private async Task<CandidateOutcome?> SkipAsync(Run run, Drop drop, CancellationToken ct)
    {
        var name = drop.Candidate.Name;
        var known = await stores.Checkpoints.GetDropAsync(drop.Key!, ct);
        if (known?.RuleSetId is { } ruleSet && await stores.Publisher.Catalog.GetRuleSetAsync(ruleSet, ct) is { Status: not RuleSetStatus.Deleted } entry)
            return new CandidateOutcome(name, ruleSet, CandidateResult.Skipped, $"these files were loaded before (rule set {ruleSet}, {JsonNames.Of(entry.Status)})");
        if (known is { Error: { } previous } && run.Request.Drop is null)
            return new CandidateOutcome(name, null, CandidateResult.Skipped, $"these files failed before (name the drop to retry): {previous}");
        return null;
    }

    /// <summary>Read: the files not yet local downloaded (and checked against their recorded hash), then every file
    /// read by <see cref="CmsImport"/> into the drop's rule set.</summary>
    private async Task<(CmsImportResult Imported, RuleSet Rules)> ReadAsync(Run run, Drop drop, CancellationToken ct)
    {
        await run.StepAsync($"read {drop.Candidate.Name}", ct);
        foreach (var file in drop.Candidate.Files.Where(f => !drop.Local.ContainsKey(f.Name)))
        {
            var (path, sha) = await DownloadAsync(file, drop.Work, ct);
            if (sha != file.Sha256) throw new CmsFileException(file.Name, 0, $"SHA-256 is {sha}, the blob's metadata says {file.Sha256}: the file changed");
            drop.Local[file.Name] = (path, sha);
        }
        var imported = CmsImport.Import(drop.Local.Select(f => new CmsInput(f.Key, () => File.OpenRead(f.Value.Path), f.Value.Sha)),
            new ImportOptions { PtpParts = options.Value.PtpParts });
        var rules = imported.Build();
        run.Time("read");
        return (imported, rules);
    }

    /// <summary>Publish: the release protocol over the drop's rule set, its progress reported into the job row.</summary>
    private async Task<PublishResult> PublishAsync(Run run, Drop drop, RuleSet rules, CancellationToken ct)
    {
        var candidate = drop.Candidate;
        await run.StepAsync($"publish {candidate.Name}", ct);
        var progress = new InlineProgress<PublishProgress>(p =>
        {
            run.Request.Progress?.Report(p);
            _ = run.Lease.ReportAsync(s => s with { Step = $"{candidate.Name}: {p.Step}", Drop = candidate.Name, EntitiesWritten = p.EntitiesWritten, EntitiesTotal = p.EntitiesPlanned },
                force: false, CancellationToken.None).ContinueWith(t => _ = t.Exception, TaskScheduler.Default); // progress is best effort
        });
        var result = await stores.Publisher.PublishAsync(rules, $"drop {candidate.Name} ({candidate.Source})", options.Value.Publish(), progress, ct);
        run.EntityWrites += result.EntityWrites;
        run.Time("publish");
        AtPoint?.Invoke("published");
        return result;
    }

    private CandidateOutcome Succeeded(IncomingRelease candidate, PublishResult result, ImportReport report)
    {
        var outOfWindow = result.Versions.Where(v => !v.InRuleSet).Select(v => $"{v.Table.Name()} {v.Version}").ToList();
        var detail = (result.Unchanged ? $"every table version it holds is already in force (rule set {result.RuleSetId})"
                : result.Activated ? $"rule set {result.RuleSetId} is active (replacing {result.Previous ?? "nothing"})"
                : $"rule set {result.RuleSetId} is verified, not activated")
            + $"; loaded {string.Join(", ", report.Tables.Select(t => $"{t.Table.Name()} {t.Version} ({t.Rows:N0} rows)"))}"
            + (outOfWindow.Count > 0 ? $"; not in force (older than the {options.Value.VersionsPerTable} versions kept per table): {string.Join(", ", outOfWindow)}" : "");
        return new CandidateOutcome(candidate.Name, result.RuleSetId, result.Unchanged ? CandidateResult.Unchanged : result.Activated ? CandidateResult.Activated : CandidateResult.Verified, detail)
            { Files = report.Files, Tables = report.Tables };
    }

    /// <summary>A drop's content or a bug: this drop fails, the others go on, and it is not retried by the timer until its
    /// files change (an admin start naming it retries it). Storage that kept failing past the retries is not the drop's
    /// fault: that is reported but not recorded, so the next run tries again and resumes from the checkpoints.</summary>
    private async Task<CandidateOutcome> FailedAsync(Drop drop, Exception e)
    {
        var name = drop.Candidate.Name;
        var files = (e as CmsFileException)?.Report?.Files ?? [];
        var error = e is CmsFileException or PublishException or ReleaseSourceException ? e.Message : $"{e.GetType().Name}: {e.Message}";
        var storage = StorageFailures.IsStorageFailure(e);
        if (storage) error = $"storage failed past its retries (the next run tries again): {error}";
        else if (drop.Key is not null)
            await TryRecordFailureAsync(new DropRecord(drop.Key, name, null, error, files.Count == 0 ? null : JsonSerializer.Serialize(files, Json), clock.GetUtcNow()));
        Log.CandidateRejected(logger, name, error);
        return new CandidateOutcome(name, null, CandidateResult.Failed, error) { Files = files };
    }

    private async Task TryRecordFailureAsync(DropRecord record)
    {
        try { await stores.Checkpoints.SetDropAsync(record, CancellationToken.None); }
        catch (Exception e) when (StorageFailures.IsErrorAnswer(e)) { } // storage is down: the next run reads the drop again
    }

    /// <summary>The SHA-256 of every file: recorded on the blob, else downloaded once, hashed, archived and recorded.</summary>
    private async Task<List<(string Name, string Sha)>> HashAsync(Drop drop, CancellationToken ct)
    {
        var hashes = new List<(string Name, string Sha)>();
        foreach (var file in drop.Candidate.Files)
        {
            var sha = file.Sha256;
            if (sha is null)
            {
                var (path, computed) = await DownloadAsync(file, drop.Work, ct);
                drop.Local[file.Name] = (path, computed);
                sha = computed;
                await stores.Files.ArchiveAsync(file, sha, ct);
                await stores.Files.RecordSha256Async(file, sha, ct);
            }
            hashes.Add((file.Name, sha));
        }
        return hashes;
    }

    private static string ContentKey(IEnumerable<(string Name, string Sha)> hashes)
        => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Join('\n', hashes.OrderBy(h => h.Name, StringComparer.Ordinal).Select(h => h.Name + ":" + h.Sha)))));

    /// <summary>Copies one file to the work folder, hashing it on the way (the readers need seekable zips).</summary>
    private async Task<(string Path, string Sha256)> DownloadAsync(IncomingFile file, string work, CancellationToken ct)
    {
        var path = System.IO.Path.Combine(work, System.IO.Path.GetFileName(file.Name));
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var source = await stores.Files.OpenReadAsync(file, ct))
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

    /// <summary>Reports synchronously on the caller's thread (Progress&lt;T&gt; would post, and arrive late).</summary>
    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    private sealed class Run(IRefreshLease lease, RefreshRequest request)
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private readonly Dictionary<string, TimeSpan> _times = new(StringComparer.Ordinal);
        public IRefreshLease Lease { get; } = lease;
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
