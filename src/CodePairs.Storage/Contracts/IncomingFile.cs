namespace CodePairs.Storage;

/// <summary>One file of a candidate release, held in blob storage (the drop container or the raw archive).</summary>
public sealed record IncomingFile(string Name, string Container, string BlobName, long Size, string? Sha256);
