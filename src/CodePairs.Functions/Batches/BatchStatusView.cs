namespace CodePairs.Functions.Batches;

/// <summary><c>status.json</c> and the body of <c>GET /api/v1/batches/{id}</c>.</summary>
public sealed record BatchStatusView(
    string Id, BatchState Status, BatchInput Input, BatchOutputs Outputs,
    long? LinesIn, long LinesProcessed, int Chunks, int ChunksDone, DateTimeOffset UpdatedAt,
    string? Error = null, BatchSummaryDocument? Summary = null);
