namespace CodePairs.Storage;

/// <summary>The rule set exists but cannot serve (deleted by retention, or a version it names is gone).</summary>
public sealed class RuleSetNotActivatableException(string message) : Exception(message);
