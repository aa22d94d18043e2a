namespace CodePairs.Functions.Batches;

/// <summary><c>summary.json</c>: written last, when every chunk is committed (or when the batch failed). An 837's summary
/// counts claims (<see cref="Unit"/> <c>claim</c>: linesIn = claims in) and adds its service lines and envelope problems.</summary>
public sealed record BatchSummaryDocument(
    string Id, BatchState Status, BatchInput Input, BatchOutputs Outputs,
    long LinesIn, long LinesValidated, long LinesRejected, long Claims, long ClaimsClean, long ClaimsWithFindings,
    IReadOnlyDictionary<string, int> FindingsByKind, IReadOnlyDictionary<string, int> FindingsBySeverity, IReadOnlyList<string> TablesUsed,
    int Chunks, DateTimeOffset StartedAt, DateTimeOffset CompletedAt, long ElapsedMilliseconds, long ChunkMilliseconds, double LinesPerSecond,
    string? Error = null)
{
    public string? Unit { get; init; }
    public long? ServiceLines { get; init; }
    public long? ServiceLinesNotChecked { get; init; }
    public long? FileProblems { get; init; }
}
