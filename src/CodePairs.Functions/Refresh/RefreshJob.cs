using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
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

/// <summary>What happened to one candidate drop: <c>activated</c> (a new rule set serves), <c>unchanged</c> (every table
/// version it holds is already in force), <c>skipped</c> (these files were handled before), <c>verified</c> (loaded,
/// not activated), or <c>failed</c> (with the error) — and what became of every file.</summary>
public sealed record CandidateOutcome(string Candidate, string? RuleSetId, string Result, string Detail)
{
    /// <summary>Every file of the drop with what became of it (table + version + rows, or why it was not read).</summary>
    public IReadOnlyList<ImportedFile> Files { get; init; } = [];

    /// <summary>The table versions the drop loaded.</summary>
    public IReadOnlyList<ImportedTable> Tables { get; init; } = [];
}

/// <summary>The job's result: whether this call ran it (false: another run holds the lease), and the job row after.</summary>
public sealed record RefreshOutcome(bool Started, RefreshStatus Status, IReadOnlyList<CandidateOutcome> Candidates)
{
    public IReadOnlyDictionary<string, TimeSpan> StepTimes { get; init; } = new Dictionary<string, TimeSpan>();
    public long EntityWrites { get; init; }
}

/// <summary>Where the job keeps things; the defaults are the service's names, tests use their own.</summary>
public sealed record RefreshStores(RulePublisher Publisher, ICheckpointStore Checkpoints, RefreshJobRow JobRow, DropContainerSource Drop, UrlSource? Urls);

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

    private async Task<RefreshOutcome> RunLeasedAsync(RefreshJobRow.Lease lease, RefreshRequest request, CancellationToken ct)
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

            var failed = run.Outcomes.Where(o => o.Result == "failed").Select(o => $"{o.Candidate}: {o.Detail}").ToList();
            if (sourceError is not null) failed.Insert(0, sourceError);
            if (request.Drop is not null && candidates.Count == 0) failed.Add($"no drop named '{request.Drop}' (a folder of {stores.Drop.ContainerName} with a ready marker)");
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

    private async Task<(List<IncomingRelease> Candidates, string? SourceError)> DiscoverAsync(RefreshRequest request, CancellationToken ct)
    {
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
        if (request.Drop is { } only) candidates = candidates.Where(c => c.Name.Equals(only, StringComparison.OrdinalIgnoreCase)).ToList();
        return (candidates, sourceError);
    }

    /// <summary>One drop through fetch, read and publish. Any failure but cancellation is this drop's alone: recorded
    /// (so it is skipped until its files change) and reported, and the run goes on to the next drop.</summary>
    private async Task<CandidateOutcome> ProcessAsync(Run run, IncomingRelease candidate, string work, CancellationToken ct)
    {
        string? key = null;
        try
        {
            Directory.CreateDirectory(work);
            await run.StepAsync($"fetch {candidate.Name}", ct);
            var local = new Dictionary<string, (string Path, string Sha)>(StringComparer.Ordinal);
            var hashes = await HashAsync(candidate, work, local, ct);
            key = ContentKey(hashes);
            run.Time("fetch");
            AtPoint?.Invoke("fetched");

            var known = await stores.Checkpoints.GetDropAsync(key, ct);
            if (known?.RuleSetId is { } ruleSet && await stores.Publisher.Catalog.GetRuleSetAsync(ruleSet, ct) is { Status: not RuleSetStatus.Deleted } entry)
                return new CandidateOutcome(candidate.Name, ruleSet, "skipped", $"these files were loaded before (rule set {ruleSet}, {Name(entry.Status)})");
            if (known is { Error: { } previous } && run.Request.Drop is null)
                return new CandidateOutcome(candidate.Name, null, "skipped", $"these files failed before (name the drop to retry): {previous}");

            await run.StepAsync($"read {candidate.Name}", ct);
            foreach (var file in candidate.Files.Where(f => !local.ContainsKey(f.Name)))
            {
                var (path, sha) = await DownloadAsync(file, work, ct);
                if (sha != file.Sha256) throw new CmsFileException(file.Name, 0, $"SHA-256 is {sha}, the blob's metadata says {file.Sha256}: the file changed");
                local[file.Name] = (path, sha);
            }
            var imported = CmsImport.Import(local.Select(f => new CmsInput(f.Key, () => File.OpenRead(f.Value.Path), f.Value.Sha)),
                new ImportOptions { PtpParts = options.Value.PtpParts });
            var drop = imported.Build();
            run.Time("read");

            await run.StepAsync($"publish {candidate.Name}", ct);
            var progress = new InlineProgress<PublishProgress>(p =>
            {
                run.Request.Progress?.Report(p);
                _ = run.Lease.ReportAsync(s => s with { Step = $"{candidate.Name}: {p.Step}", Drop = candidate.Name, EntitiesWritten = p.EntitiesWritten, EntitiesTotal = p.EntitiesPlanned },
                    force: false, CancellationToken.None).ContinueWith(t => _ = t.Exception, TaskScheduler.Default); // progress is best effort
            });
            var result = await stores.Publisher.PublishAsync(drop, $"drop {candidate.Name} ({candidate.Source})", options.Value.Publish(), progress, ct);
            run.EntityWrites += result.EntityWrites;
            run.Time("publish");
            AtPoint?.Invoke("published");

            var report = imported.Report;
            await stores.Checkpoints.SetDropAsync(new DropRecord(key, candidate.Name, result.RuleSetId, null, JsonSerializer.Serialize(report, Json), clock.GetUtcNow()), ct);
            AtPoint?.Invoke("recorded");
            if (result.Activated)
            {
                if (cache is not null) await cache.RefreshAsync(force: true, ct);
                Log.RuleSetActivated(logger, result.RuleSetId);
            }
            var outOfWindow = result.Versions.Where(v => !v.InRuleSet).Select(v => $"{v.Table.Name()} {v.Version}").ToList();
            var detail = (result.Unchanged ? $"every table version it holds is already in force (rule set {result.RuleSetId})"
                    : result.Activated ? $"rule set {result.RuleSetId} is active (replacing {result.Previous ?? "nothing"})"
                    : $"rule set {result.RuleSetId} is verified, not activated")
                + $"; loaded {string.Join(", ", report.Tables.Select(t => $"{t.Table.Name()} {t.Version} ({t.Rows:N0} rows)"))}"
                + (outOfWindow.Count > 0 ? $"; not in force (older than the {options.Value.VersionsPerTable} versions kept per table): {string.Join(", ", outOfWindow)}" : "");
            return new CandidateOutcome(candidate.Name, result.RuleSetId, result.Unchanged ? "unchanged" : result.Activated ? "activated" : "verified", detail)
                { Files = report.Files, Tables = report.Tables };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A drop's content or a bug: this drop fails, the others go on, and it is not retried by the timer until its
            // files change (an admin start naming it retries it). Storage that kept failing past the retries is not the
            // drop's fault: that is reported but not recorded, so the next run tries again and resumes from the checkpoints.
            var files = (e as CmsFileException)?.Report?.Files ?? [];
            var error = e is CmsFileException or PublishException or ReleaseSourceException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            var storage = IsStorageFailure(e);
            if (storage) error = $"storage failed past its retries (the next run tries again): {error}";
            else if (key is not null)
                await TryRecordFailureAsync(new DropRecord(key, candidate.Name, null, error, files.Count == 0 ? null : JsonSerializer.Serialize(files, Json), clock.GetUtcNow()));
            Log.CandidateRejected(logger, candidate.Name, error);
            return new CandidateOutcome(candidate.Name, null, "failed", error) { Files = files };
        }
    }

    /// <summary>A failure of the storage account (an error answer, a reset, a timeout), not of the drop's files.</summary>
    private static bool IsStorageFailure(Exception e) => e switch
    {
        Azure.RequestFailedException or TimeoutException => true,
        IOException when e is not CmsFileException => e.InnerException is System.Net.Sockets.SocketException || e.GetType() == typeof(IOException),
        AggregateException a => a.InnerExceptions.Count > 0 && a.InnerExceptions.All(IsStorageFailure),
        _ => false,
    };

    private async Task TryRecordFailureAsync(DropRecord record)
    {
        try { await stores.Checkpoints.SetDropAsync(record, CancellationToken.None); }
        catch (Azure.RequestFailedException) { } // storage is down: the next run reads the drop again
    }

    /// <summary>The SHA-256 of every file: recorded on the blob, else downloaded once, hashed, archived and recorded.</summary>
    private async Task<List<(string Name, string Sha)>> HashAsync(IncomingRelease candidate, string work, Dictionary<string, (string, string)> local, CancellationToken ct)
    {
        var hashes = new List<(string Name, string Sha)>();
        foreach (var file in candidate.Files)
        {
            var sha = file.Sha256;
            if (sha is null)
            {
                var (path, computed) = await DownloadAsync(file, work, ct);
                local[file.Name] = (path, computed);
                sha = computed;
                await ArchiveAsync(file, sha, ct);
                await Blob(file).SetMetadataAsync(new Dictionary<string, string> { ["sha256"] = sha }, cancellationToken: ct);
            }
            hashes.Add((file.Name, sha));
        }
        return hashes;
    }

    private static string ContentKey(IEnumerable<(string Name, string Sha)> hashes)
        => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Join('\n', hashes.OrderBy(h => h.Name, StringComparer.Ordinal).Select(h => h.Name + ":" + h.Sha)))));

    private static string Name(RuleSetStatus s) => s.ToString().ToLowerInvariant();

    /// <summary>Keeps a dropped file in the raw archive under its hash (<c>rules-archive/&lt;sha256&gt;/&lt;file&gt;</c>, as
    /// the URL source does), so a table version can be rebuilt and audited after operators clear the drop folder.</summary>
    private async Task ArchiveAsync(IncomingFile file, string sha, CancellationToken ct)
    {
        if (file.Container == StorageNames.ArchiveContainer) return;
        var archive = stores.Drop.Blobs.GetBlobContainerClient(StorageNames.ArchiveContainer);
        await archive.CreateIfNotExistsAsync(cancellationToken: ct);
        var target = archive.GetBlobClient($"{sha}/{Path.GetFileName(file.Name)}");
        if (await target.ExistsAsync(ct)) return;
        try
        {
            var copy = await target.StartCopyFromUriAsync(Blob(file).Uri, new Azure.Storage.Blobs.Models.BlobCopyFromUriOptions
            {
                Metadata = new Dictionary<string, string> { ["sha256"] = sha, ["source"] = $"{file.Container}/{file.BlobName}" },
            }, ct);
            await copy.WaitForCompletionAsync(ct);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 409)
        {
            // The retry of a copy whose response was lost meets the copy it started (PendingCopyOperation): wait for it.
            for (var i = 0; ; i++)
            {
                var copied = (await target.GetPropertiesAsync(cancellationToken: ct)).Value;
                if (copied.CopyStatus == Azure.Storage.Blobs.Models.CopyStatus.Success) return;
                if (copied.CopyStatus != Azure.Storage.Blobs.Models.CopyStatus.Pending || i >= 600) throw;
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
    }

    private BlobClient Blob(IncomingFile file) => stores.Drop.Blobs.GetBlobContainerClient(file.Container).GetBlobClient(file.BlobName);

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

    /// <summary>Reports synchronously on the caller's thread (Progress&lt;T&gt; would post, and arrive late).</summary>
    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
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
