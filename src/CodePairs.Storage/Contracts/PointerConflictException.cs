namespace CodePairs.Storage;

/// <summary>Someone else moved the active pointer since it was read: re-read and decide again.</summary>
public sealed class PointerConflictException : Exception
{
    public PointerConflictException() : this("the active rule set pointer was changed by someone else") { }
    public PointerConflictException(string message) : base(message) { }
    public PointerConflictException(string message, Exception innerException) : base(message, innerException) { }

    public PointerConflictException(string wanted, ActivePointer? current, Exception? innerException = null)
        : base($"the active rule set pointer was changed by someone else: wanted {wanted}, " +
               (current is null ? "it is absent" : $"it now names {current.RuleSetId}"), innerException)
    {
        Current = current;
    }

    /// <summary>The pointer as re-read after the conflict (null when it is absent).</summary>
    public ActivePointer? Current { get; }
}
