namespace CodePairs.Rules;

/// <summary>The verdict on one claim.</summary>
/// <param name="Clean">True when no finding is a warning or worse.</param>
/// <param name="TablesUsed">The table versions the claim was judged by (for each of its dates of service).</param>
public sealed record ValidationResult(bool Clean, IReadOnlyList<Finding> Findings, IReadOnlyList<RuleSource> TablesUsed, int Lines);
