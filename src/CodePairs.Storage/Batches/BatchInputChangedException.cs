namespace CodePairs.Storage.Batches;

/// <summary>The input blob no longer has the ETag its batch was planned with: a newer upload replaced it (and its own
/// event starts a batch of its own). Thrown on opening or on any read of the old version.</summary>
public sealed class BatchInputChangedException(Exception inner)
    : IOException("the input blob was replaced while the batch ran; the new upload is a batch of its own", inner);
