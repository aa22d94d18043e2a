using System.Text.Json.Serialization;
using Azure;
using CodePairs.Rules;

namespace CodePairs.Storage;

/// <summary>Where a table version is: being written, written and checked (its rows and snapshot can serve), or past
/// retention (its rows deleted).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<VersionStatus>))]
public enum VersionStatus
{
    [JsonStringEnumMemberName("loading")] Loading,
    [JsonStringEnumMemberName("verified")] Verified,
    [JsonStringEnumMemberName("deleted")] Deleted,
}

/// <summary>Where a rule set (a set of table versions in force together) is: composed and loadable, serving, kept for
/// rollback, or past retention.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RuleSetStatus>))]
public enum RuleSetStatus
{
    [JsonStringEnumMemberName("verified")] Verified,
    [JsonStringEnumMemberName("active")] Active,
    [JsonStringEnumMemberName("retired")] Retired,
    [JsonStringEnumMemberName("deleted")] Deleted,
}

/// <summary>One version of one table in the catalogue: what it is, where it came from (files and SHA-256s), its rows,
/// its snapshot and its state.</summary>
public sealed record TableVersionEntry(TableId Table, string Key, string Version, DateOnly EffectiveFrom, int Rows, int RowsNeverInForce,
    IReadOnlyList<TableSource> Sources, VersionStatus Status, string? SnapshotSha256, DateTimeOffset CreatedAt, string? LastError = null)
{
    public TableRef Ref => new(Table, Key, Version, EffectiveFrom);
}

/// <summary>A table version named by a rule set.</summary>
public sealed record TableRef(TableId Table, string Key, string Version, DateOnly EffectiveFrom);

/// <summary>A rule set in the catalogue: the table versions in force together (several per table, each from its date),
/// what made it (a drop, a publish), the state it replaced, its snapshot, and what changed in each table it brought a
/// new version of (counts per change kind and the most affected codes, against the table's previous version).</summary>
public sealed record RuleSetEntry(string Id, RuleSetStatus Status, IReadOnlyList<TableRef> Tables, string Origin, string? Previous,
    string? SnapshotSha256, DateTimeOffset CreatedAt, DateTimeOffset? ActivatedAt, string? LastError = null)
{
    public IReadOnlyList<ChangeSummary> Changes { get; init; } = [];
}

/// <summary>The rule set that serves claims — the only commit point of a publish — with the ETag to move it.</summary>
public sealed record ActivePointer(string RuleSetId, DateTimeOffset UpdatedAt, ETag ETag);

/// <summary>Someone else moved the active pointer since it was read: re-read and decide again.</summary>
public sealed class PointerConflictException : Exception
{
    public PointerConflictException() : this("the active rule set pointer was changed by someone else") { }
    public PointerConflictException(string message) : base(message) { }
    public PointerConflictException(string message, Exception innerException) : base(message, innerException) { }

    public PointerConflictException(string wanted, ActivePointer? current, Exception? innerException = null)
        : base($"the active rule set pointer was changed by someone else: wanted {wanted}, " +
               (current is null ? "it is absent" : $"it now names {current.RuleSetId}"), innerException)
    {
        Current = current;
    }

    /// <summary>The pointer as re-read after the conflict (null when it is absent).</summary>
    public ActivePointer? Current { get; }
}

/// <summary>A snapshot blob does not exist.</summary>
public sealed class SnapshotNotFoundException : Exception
{
    public SnapshotNotFoundException() : base("the snapshot was not found") { }
    public SnapshotNotFoundException(string message) : base(message) { }
    public SnapshotNotFoundException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>The catalogue: table versions, rule sets, and the active pointer.</summary>
public interface IRuleCatalog
{
    Task<IReadOnlyList<TableVersionEntry>> ListVersionsAsync(CancellationToken ct);
    Task<TableVersionEntry?> GetVersionAsync(TableId table, string key, CancellationToken ct);
    Task UpsertVersionAsync(TableVersionEntry entry, CancellationToken ct);

    Task<IReadOnlyList<RuleSetEntry>> ListRuleSetsAsync(CancellationToken ct);
    Task<RuleSetEntry?> GetRuleSetAsync(string id, CancellationToken ct);
    Task UpsertRuleSetAsync(RuleSetEntry entry, CancellationToken ct);

    Task<ActivePointer?> GetActiveAsync(CancellationToken ct);

    /// <summary>ETag-conditional (expected null = create only if absent). On 412: re-read; if the stored id already is
    /// <paramref name="ruleSetId"/> return it, else throw <see cref="PointerConflictException"/>.</summary>
    Task<ActivePointer> SetActiveAsync(string ruleSetId, ETag? expected, CancellationToken ct);
}

/// <summary>Snapshot blobs: one per table version (<c>tables/{table}/{key}.snapshot</c>) and one per rule set
/// (<c>rulesets/{id}.snapshot</c>), each with its SHA-256 in metadata.</summary>
public interface ISnapshotStore
{
    /// <summary>Uploads (overwrites) a snapshot blob with metadata <c>sha256</c>; returns the hex SHA-256.</summary>
    Task<string> UploadAsync(string blobName, Stream snapshot, CancellationToken ct);

    /// <summary>Opens a snapshot for reading; throws <see cref="SnapshotNotFoundException"/> when it is missing.</summary>
    Task<Stream> OpenReadAsync(string blobName, CancellationToken ct);
}

/// <summary>The released rows in Table Storage, per table version.</summary>
public interface IRuleEditsStore
{
    /// <summary>Writes a table version's rows (as <see cref="StoredRows.Encode"/> lays them out) idempotently
    /// (upsert-replace), partition by partition, in transactions that obey Azure's limits: partitions in
    /// <paramref name="skipPartitions"/> are skipped, and <paramref name="partitionCommitted"/> hears of every partition
    /// whose transactions all committed.</summary>
    Task<WriteResult> WriteAsync(StoredTable stored, string key, IReadOnlySet<string>? skipPartitions, Func<string, int, CancellationToken, Task>? partitionCommitted,
        IProgress<int>? progress, int maxEntitiesPerSecond, CancellationToken ct);

    /// <summary>Reads back one code's stored rows of a table version (point reads), decoded; null when the code has none.</summary>
    Task<StoredCodeRules?> ReadCodeAsync(TableId table, string key, HcpcsCode code, CancellationToken ct);

    /// <summary>The stored groups for these keys (what verification compares with the freshly encoded ones).</summary>
    Task<StoredGroup?> ReadGroupAsync(TableId table, string key, string groupKey, CancellationToken ct);

    /// <summary>The rows held for a table version, for verification against <see cref="TableVersion.Rows"/>.</summary>
    Task<long> CountRowsAsync(TableId table, string key, CancellationToken ct);

    /// <summary>Deletes every stored entity of a table version (retention, or before rewriting); returns how many.</summary>
    Task<int> DeleteAsync(TableId table, string key, CancellationToken ct);
}

public sealed record WriteResult(int Entities, int Transactions, long Rows);

/// <summary>The publish protocol's memory: per-partition checkpoints of each table version's write (a rerun skips what
/// committed), and what each drop's content was last found to be.</summary>
public interface ICheckpointStore
{
    Task<IReadOnlySet<string>> CommittedAsync(TableId table, string key, CancellationToken ct);
    ICheckpointRecorder Record(TableId table, string key);
    Task DeleteAsync(TableId table, string key, CancellationToken ct);

    Task<DropRecord?> GetDropAsync(string contentKey, CancellationToken ct);
    Task SetDropAsync(DropRecord record, CancellationToken ct);
}

public interface ICheckpointRecorder
{
    Task CommittedAsync(string partition, int entities, CancellationToken ct);
    Task FlushAsync(CancellationToken ct);
}

/// <summary>What a drop (a set of files, by content) became: the rule set it activated or left verified, or the error
/// that failed it, with the report of every file.</summary>
public sealed record DropRecord(string ContentKey, string Name, string? RuleSetId, string? Error, string? Report, DateTimeOffset At);
