namespace CodePairs.Storage;

/// <summary>A source could not deliver a file (HTTP failure after retries, over the size cap, no file name).</summary>
public sealed class ReleaseSourceException(string message) : Exception(message);
