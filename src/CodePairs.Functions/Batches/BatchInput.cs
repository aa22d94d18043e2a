using CodePairs.Rules.Batch;

namespace CodePairs.Functions.Batches;

/// <summary>What was read: the input blob as it was when the batch started.</summary>
/// <param name="Format">Null only for a batch that failed before it was planned (its format was never read).</param>
public sealed record BatchInput(string Container, string Name, string ETag, long Bytes, BatchFormat? Format, bool Gzip);
