namespace CodePairs.Storage;

/// <summary>What the refresh job is doing or last did, as <c>GET /api/v1/rulesets/refresh</c> shows it.</summary>
/// <param name="Drop">The drop (folder or URL list) being processed, or the last one.</param>
/// <param name="Candidates">What became of each drop of the last run, with the report of every file.</param>
public sealed record RefreshStatus(RefreshState State, string? Step, string? Drop, string? Trigger, long EntitiesWritten, long EntitiesTotal,
    DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, DateTimeOffset? LeaseExpiresAt, string? LastError, string? Outcome)
{
    public static RefreshStatus Never { get; } = new(RefreshState.Idle, null, null, null, 0, 0, null, null, null, null, null);

    public IReadOnlyList<CandidateOutcome> Candidates { get; init; } = [];
}
