namespace CodePairs.Storage.Batches;

/// <summary>An input blob as the batch door plans it.</summary>
/// <param name="ETag">The ETag without quotes (Azure's are <c>"0x8DC…"</c>).</param>
/// <param name="Length">Its length in bytes.</param>
public sealed record BatchInputBlob(string ETag, long Length);
