namespace CodePairs.Rules.Batch;

/// <summary>The file as a whole cannot be read (no header, wrong header). Line-level problems are never thrown.</summary>
public sealed class BatchFileException(string message) : Exception(message);
