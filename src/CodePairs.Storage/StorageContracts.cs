using Azure;
using CodePairs.Rules;

namespace CodePairs.Storage;

/// <summary>Where a release is in the refresh protocol: written, checked, serving, kept for rollback only, or past
/// the retention count (its rows deleted; it can no longer be activated).</summary>
public enum ReleaseStatus { Loading, Verified, Active, Retired, Deleted }

/// <summary>One release in the catalogue: its tables (with CMS versions and row counts), its snapshot and its state.</summary>
public sealed record ReleaseEntry(string Id, DateOnly EffectiveFrom, ReleaseStatus Status,
    IReadOnlyList<ReleaseComponent> Components, string? SnapshotBlob, string? SnapshotSha256,
    DateTimeOffset CreatedAt, DateTimeOffset? ActivatedAt, string? LastError);

/// <summary>The releases that serve claims (the only commit point of a refresh), with the ETag to move it.</summary>
public sealed record ActivePointer(IReadOnlyList<string> ReleaseIds, DateTimeOffset UpdatedAt, ETag ETag);

/// <summary>Someone else moved the active pointer since it was read: re-read and decide again.</summary>
public sealed class PointerConflictException : Exception
{
    public PointerConflictException() : this("the active release pointer was changed by someone else") { }
    public PointerConflictException(string message) : base(message) { }
    public PointerConflictException(string message, Exception innerException) : base(message, innerException) { }

    public PointerConflictException(IReadOnlyList<string> wanted, ActivePointer? current, Exception? innerException = null)
        : base($"the active release pointer was changed by someone else: wanted [{string.Join(", ", wanted)}], " +
               (current is null ? "it is absent" : $"it now holds [{string.Join(", ", current.ReleaseIds)}]"), innerException)
    {
        Current = current;
    }

    /// <summary>The pointer as re-read after the conflict (null when it is absent).</summary>
    public ActivePointer? Current { get; }
}

/// <summary>The snapshot blob of a release does not exist.</summary>
public sealed class SnapshotNotFoundException : Exception
{
    public SnapshotNotFoundException() : base("the release snapshot was not found") { }
    public SnapshotNotFoundException(string message) : base(message) { }
    public SnapshotNotFoundException(string message, Exception innerException) : base(message, innerException) { }
}

public interface IRuleCatalog
{
    Task<IReadOnlyList<ReleaseEntry>> ListAsync(CancellationToken ct);
    Task<ReleaseEntry?> GetAsync(string releaseId, CancellationToken ct);
    Task UpsertAsync(ReleaseEntry entry, CancellationToken ct);
    Task<ActivePointer?> GetActiveAsync(CancellationToken ct);

    /// <summary>ETag-conditional (expected null = create only if absent). On 412: re-read; if the stored ids already
    /// equal releaseIds return it, else throw <see cref="PointerConflictException"/>.</summary>
    Task<ActivePointer> SetActiveAsync(IReadOnlyList<string> releaseIds, ETag? expected, CancellationToken ct);
}

public interface ISnapshotStore
{
    /// <summary>Uploads (overwrites) blob <c>rules-snapshots/{releaseId}.snapshot</c> with metadata <c>sha256</c>; returns the hex SHA-256.</summary>
    Task<string> UploadAsync(string releaseId, Stream snapshot, CancellationToken ct);

    /// <summary>Opens the snapshot for reading; throws <see cref="SnapshotNotFoundException"/> when it is missing.</summary>
    Task<Stream> OpenReadAsync(string releaseId, CancellationToken ct);
}

public interface IReleaseEditsStore
{
    /// <summary>Writes every table of the release into the RuleEdits table, idempotently (upsert-replace), partition by
    /// partition, in transactions that obey Azure's limits. Returns entity writes issued.</summary>
    Task<ReleaseWriteResult> WriteAsync(Release release, CodeIndex codes, IProgress<int>? progress, CancellationToken ct);

    /// <summary>Reads back one code's stored rows for a table of a release (point reads), decoded; null when the code has none.</summary>
    Task<StoredCodeRules?> ReadCodeAsync(string releaseId, string table, HcpcsCode code, CancellationToken ct);

    /// <summary>The sum of the rows held for a table of a release, for verification against <see cref="ReleaseComponent.Rows"/>.</summary>
    Task<long> CountRowsAsync(string releaseId, string table, CancellationToken ct);

    /// <summary>Deletes every stored entity of a release (retention, or before rewriting a release whose content changed); returns how many.</summary>
    Task<int> DeleteReleaseAsync(string releaseId, CancellationToken ct);
}

public sealed record ReleaseWriteResult(int Entities, int Transactions, long Rows);

/// <summary>One code's stored rows in one table of a release. Exactly one list is filled, by the table's kind:
/// PTP rows where the code is column 1, AOC rows where it is the add-on code, or its MUE.</summary>
public sealed record StoredCodeRules(string ReleaseId, string Table, HcpcsCode Code,
    IReadOnlyList<PtpEdit> Ptp, IReadOnlyList<AddOnEdit> AddOns, MueLimit? Mue)
{
    public int Rows => Ptp.Count + AddOns.Count + (Mue is null ? 0 : 1);
}
