namespace CodePairs.Rules;

/// <summary>The MUE a finding rests on.</summary>
public sealed record MueDetail(string Code, int? Value, int? AdjudicationIndicator, string? Adjudication, string? Rationale, int UnitsBilled);
