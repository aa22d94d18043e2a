namespace CodePairs.Storage;

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
