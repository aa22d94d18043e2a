namespace CodePairs.Storage;

/// <summary>The refresh job's row and its lease (<see cref="TableRefreshJobRow"/>): one run at a time.</summary>
public interface IRefreshJobRow
{
    Task<RefreshStatus> GetAsync(CancellationToken ct);

    /// <summary>Takes the lease, or returns null with the status of the job that holds it.</summary>
    Task<(IRefreshLease? Lease, RefreshStatus Status)> TryAcquireAsync(string trigger, CancellationToken ct);
}
