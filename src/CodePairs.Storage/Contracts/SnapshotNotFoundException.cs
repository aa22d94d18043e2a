namespace CodePairs.Storage;

/// <summary>A snapshot blob does not exist.</summary>
public sealed class SnapshotNotFoundException : Exception
{
    public SnapshotNotFoundException() : base("the snapshot was not found") { }
    public SnapshotNotFoundException(string message) : base(message) { }
    public SnapshotNotFoundException(string message, Exception innerException) : base(message, innerException) { }
}
