namespace CodePairs.Functions.Batches;

/// <summary><c>plan.json</c>: written once when a batch starts; chunk workers read it.</summary>
public sealed record BatchPlan(string Id, BatchInput Input, int? CsvWidth, CodePairs.Rules.Setting DefaultSetting, IReadOnlyList<ChunkPlan> Chunks, DateTimeOffset StartedAt)
{
    /// <summary>Data lines the planner counted, or -1 for a one-chunk file (not pre-counted).</summary>
    public long LinesIn => Chunks.Any(c => c.Lines < 0) ? -1 : Chunks.Sum(c => c.Lines);

    /// <summary>A gzip file cut into chunks: the inflated copy its chunks read (null for every other file).</summary>
    public BatchInflatedCopy? Inflated { get; init; }
}

/// <summary>The inflated copy of a chunked gzip file, in the batch's output folder: its name there, ETag and length.</summary>
public sealed record BatchInflatedCopy(string Name, string ETag, long Bytes);
