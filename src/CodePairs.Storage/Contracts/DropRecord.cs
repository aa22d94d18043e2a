namespace CodePairs.Storage;

/// <summary>What a drop (a set of files, by content) became: the rule set it activated or left verified, or the error
/// that failed it, with the report of every file.</summary>
public sealed record DropRecord(string ContentKey, string Name, string? RuleSetId, string? Error, string? Report, DateTimeOffset At);
