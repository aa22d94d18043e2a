namespace CodePairs.Functions.Batches;

/// <summary>A <c>webjobs-blobtrigger-poison</c> message as the blob extension writes it (its other properties are not read).</summary>
public sealed record BlobPoisonMessage(string? FunctionId, string? ContainerName, string? BlobName, string? ETag);
