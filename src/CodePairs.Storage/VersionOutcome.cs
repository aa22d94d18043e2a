using CodePairs.Rules;

namespace CodePairs.Storage;

/// <summary>What became of one table version of a publish.</summary>
public sealed record VersionOutcome(TableId Table, string Version, string Key, DateOnly EffectiveFrom, int Rows, bool Written, long EntityWrites, bool InRuleSet);
