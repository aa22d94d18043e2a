namespace CodePairs.Rules;

/// <summary>The PTP row a finding rests on.</summary>
public sealed record PtpDetail(string Column1, string Column2, int ModifierIndicator, DateOnly Effective, DateOnly? Deletion, string Rationale, bool PriorTo1996);
