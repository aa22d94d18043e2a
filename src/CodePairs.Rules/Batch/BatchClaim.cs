using CodePairs.Rules.X12;

namespace CodePairs.Rules.Batch;

/// <summary>A parsed claim. <see cref="InputLines"/>[k] is the 1-based file line of claim line k+1.</summary>
/// <summary>For an 837 claim <see cref="InputLines"/> holds segment numbers (each judged line's SV1/SV2) and <see cref="X12"/> the rest.</summary>
public sealed record BatchClaim(Claim Claim, IReadOnlyList<int> InputLines) : BatchItem
{
    public X12ClaimInfo? X12 { get; init; }
}
