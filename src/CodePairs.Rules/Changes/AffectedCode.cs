namespace CodePairs.Rules;

/// <summary>A code and how many changes name it.</summary>
public sealed record AffectedCode(string Code, int Changes);
