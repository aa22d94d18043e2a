using CodePairs.Rules;

namespace CodePairs.Storage;

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
