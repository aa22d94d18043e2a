using System.Text.Json;
using System.Text.Json.Serialization;
using CodePairs.Rules.Batch;

namespace CodePairs.Functions.Batches;

/// <summary>The JSON files a batch keeps in its output folder (camelCase, nulls omitted).</summary>
public static class BatchJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}

[JsonConverter(typeof(JsonStringEnumConverter<BatchState>))]
public enum BatchState
{
    [JsonStringEnumMemberName("queued")] Queued,
    [JsonStringEnumMemberName("running")] Running,
    [JsonStringEnumMemberName("completed")] Completed,
    [JsonStringEnumMemberName("failed")] Failed,
}

/// <summary>What was read: the input blob as it was when the batch started.</summary>
/// <param name="Format">Null only for a batch that failed before it was planned (its format was never read).</param>
public sealed record BatchInput(string Container, string Name, string ETag, long Bytes, BatchFormat? Format, bool Gzip);

/// <summary><c>plan.json</c>: written once when a batch starts; chunk workers read it.</summary>
public sealed record BatchPlan(string Id, BatchInput Input, int? CsvWidth, CodePairs.Rules.Setting DefaultSetting, IReadOnlyList<ChunkPlan> Chunks, DateTimeOffset StartedAt)
{
    /// <summary>Data lines the planner counted, or -1 for a one-chunk file (not pre-counted).</summary>
    public long LinesIn => Chunks.Any(c => c.Lines < 0) ? -1 : Chunks.Sum(c => c.Lines);
}

/// <summary><c>chunks/NNNNNN.json</c>: a finished chunk, its counts and how many output parts it staged.</summary>
/// <remarks>For an 837 the lines are claims; <see cref="ServiceLines"/>, <see cref="ServiceLinesNotChecked"/> and
/// <see cref="FileProblems"/> (envelope errors) are counted too.</remarks>
public sealed record ChunkDone(int Index, long LinesIn, long LinesValidated, long LinesRejected, long Claims, long ClaimsClean, long ClaimsWithFindings,
    IReadOnlyDictionary<string, int> FindingsByKind, IReadOnlyDictionary<string, int> FindingsBySeverity, IReadOnlyList<string> TablesUsed,
    int ResultParts, int RejectedParts, long Milliseconds, long ServiceLines = 0, long ServiceLinesNotChecked = 0, long FileProblems = 0);

public sealed record BatchOutputs(string Folder, string Results, string Rejected, string Summary);

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

/// <summary><c>status.json</c> and the body of <c>GET /api/v1/batches/{id}</c>.</summary>
public sealed record BatchStatusView(
    string Id, BatchState Status, BatchInput Input, BatchOutputs Outputs,
    long? LinesIn, long LinesProcessed, int Chunks, int ChunksDone, DateTimeOffset UpdatedAt,
    string? Error = null, BatchSummaryDocument? Summary = null);
