using CodePairs.Rules;

namespace CodePairs.Storage;

/// <summary>A table version named by a rule set.</summary>
public sealed record TableRef(TableId Table, string Key, string Version, DateOnly EffectiveFrom);
