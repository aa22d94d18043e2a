namespace CodePairs.Storage;

public interface ICheckpointRecorder
{
    Task CommittedAsync(string partition, int entities, CancellationToken ct);
    Task FlushAsync(CancellationToken ct);
}
