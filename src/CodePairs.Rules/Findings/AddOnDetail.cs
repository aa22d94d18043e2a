namespace CodePairs.Rules;

/// <summary>The add-on rule a finding rests on.</summary>
public sealed record AddOnDetail(string AddOnCode, int? Type, IReadOnlyList<string> ListedPrimaries, DateOnly? EditEffective, DateOnly? EditDeletion, string? Notes);
