using System.Text.Json.Serialization;
using CodePairs.Rules.Cms;

namespace CodePairs.Storage;

/// <summary>Where the refresh job is: never run, running (a lease is held), or how its last run ended.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RefreshState>))]
public enum RefreshState
{
    [JsonStringEnumMemberName("idle")] Idle,
    [JsonStringEnumMemberName("running")] Running,
    [JsonStringEnumMemberName("succeeded")] Succeeded,
    [JsonStringEnumMemberName("failed")] Failed,
}

/// <summary>What became of one candidate drop (see <see cref="CandidateOutcome"/>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CandidateResult>))]
public enum CandidateResult
{
    [JsonStringEnumMemberName("activated")] Activated,
    [JsonStringEnumMemberName("unchanged")] Unchanged,
    [JsonStringEnumMemberName("verified")] Verified,
    [JsonStringEnumMemberName("skipped")] Skipped,
    [JsonStringEnumMemberName("failed")] Failed,
}

/// <summary>What the refresh job is doing or last did, as <c>GET /api/v1/rulesets/refresh</c> shows it.</summary>
/// <param name="Drop">The drop (folder or URL list) being processed, or the last one.</param>
/// <param name="Candidates">What became of each drop of the last run, with the report of every file.</param>
public sealed record RefreshStatus(RefreshState State, string? Step, string? Drop, string? Trigger, long EntitiesWritten, long EntitiesTotal,
    DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, DateTimeOffset? LeaseExpiresAt, string? LastError, string? Outcome)
{
    public static RefreshStatus Never { get; } = new(RefreshState.Idle, null, null, null, 0, 0, null, null, null, null, null);

    public IReadOnlyList<CandidateOutcome> Candidates { get; init; } = [];
}

/// <summary>What happened to one candidate drop: <c>activated</c> (a new rule set serves), <c>unchanged</c> (every table
/// version it holds is already in force), <c>skipped</c> (these files were handled before), <c>verified</c> (loaded,
/// not activated), or <c>failed</c> (with the error) — and what became of every file.</summary>
public sealed record CandidateOutcome(string Candidate, string? RuleSetId, CandidateResult Result, string Detail)
{
    /// <summary>Every file of the drop with what became of it (table + version + rows, or why it was not read).</summary>
    public IReadOnlyList<ImportedFile> Files { get; init; } = [];

    /// <summary>The table versions the drop loaded.</summary>
    public IReadOnlyList<ImportedTable> Tables { get; init; } = [];
}

/// <summary>The refresh job's row and its lease (<see cref="TableRefreshJobRow"/>): one run at a time.</summary>
public interface IRefreshJobRow
{
    Task<RefreshStatus> GetAsync(CancellationToken ct);

    /// <summary>Takes the lease, or returns null with the status of the job that holds it.</summary>
    Task<(IRefreshLease? Lease, RefreshStatus Status)> TryAcquireAsync(string trigger, CancellationToken ct);
}

/// <summary>A held lease: reports progress into the job row (renewing the expiry) and releases it at the end.</summary>
public interface IRefreshLease
{
    RefreshStatus Status { get; }

    /// <summary>Applies a change to the status and writes it (at most once a second unless <paramref name="force"/>).</summary>
    Task ReportAsync(Func<RefreshStatus, RefreshStatus> change, bool force, CancellationToken ct);

    Task StepAsync(string step, CancellationToken ct);

    /// <summary>Ends the job: <c>succeeded</c> or <c>failed</c>, with the outcome or error. Never throws for storage.</summary>
    Task FinishAsync(bool succeeded, string? outcome, string? error);
}

/// <summary>One file of a candidate release, held in blob storage (the drop container or the raw archive).</summary>
public sealed record IncomingFile(string Name, string Container, string BlobName, long Size, string? Sha256);

/// <summary>A set of CMS files that together may form a release, and where they came from.</summary>
public sealed record IncomingRelease(string Name, string Source, IReadOnlyList<IncomingFile> Files);

/// <summary>The drop container (<see cref="DropContainerSource"/>): folders of CMS files with a <c>ready</c> marker.</summary>
public interface IDropSource
{
    string ContainerName { get; }

    Task<IReadOnlyList<IncomingRelease>> DiscoverAsync(CancellationToken ct);
}

/// <summary>The URL list (<see cref="UrlSource"/>): downloads the files into the raw archive as one candidate.</summary>
public interface IUrlSource
{
    /// <summary>Null when <paramref name="urls"/> is empty; throws <see cref="ReleaseSourceException"/> for a file it
    /// cannot deliver.</summary>
    Task<IncomingRelease?> DiscoverAsync(IReadOnlyList<Uri> urls, CancellationToken ct);
}

/// <summary>The bytes of a candidate's files (<see cref="BlobReleaseFiles"/>): read, hashed once, archived.</summary>
public interface IReleaseFiles
{
    Task<Stream> OpenReadAsync(IncomingFile file, CancellationToken ct);

    /// <summary>Records the file's SHA-256 on it, so the next run need not download it to know its content.</summary>
    Task RecordSha256Async(IncomingFile file, string sha256, CancellationToken ct);

    /// <summary>Keeps the file in the raw archive under its hash (<c>rules-archive/&lt;sha256&gt;/&lt;file&gt;</c>), so a
    /// table version can be rebuilt and audited after operators clear the drop folder.</summary>
    Task ArchiveAsync(IncomingFile file, string sha256, CancellationToken ct);
}

/// <summary>A source could not deliver a file (HTTP failure after retries, over the size cap, no file name).</summary>
public sealed class ReleaseSourceException(string message) : Exception(message);
