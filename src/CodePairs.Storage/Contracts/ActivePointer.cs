using Azure;

namespace CodePairs.Storage;

/// <summary>The rule set that serves claims — the only commit point of a publish — with the ETag to move it.</summary>
public sealed record ActivePointer(string RuleSetId, DateTimeOffset UpdatedAt, ETag ETag);
