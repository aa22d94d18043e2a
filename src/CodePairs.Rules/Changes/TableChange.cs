namespace CodePairs.Rules;

/// <summary>One change: the code (PTP column 1, add-on code, MUE code), the other code (PTP column 2, AOC primary or
/// <c>CCCCC</c>), which attributes changed, and the row before and after.</summary>
public sealed record TableChange(ChangeKind Kind, string Code, string? Other, IReadOnlyList<string> Fields, ChangeRow? Before, ChangeRow? After);
