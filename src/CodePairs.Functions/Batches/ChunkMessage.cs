namespace CodePairs.Functions.Batches;

/// <summary>A chunk work item on the <c>batch-chunks</c> queue.</summary>
public sealed record ChunkMessage(string Container, string Name, string ETag, int Index);
