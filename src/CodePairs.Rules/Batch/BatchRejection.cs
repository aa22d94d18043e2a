namespace CodePairs.Rules.Batch;

/// <summary>An input line that was not validated, with its 1-based line number and the reason.</summary>
/// <remarks>For an 837 claim <see cref="Line"/> is the segment at fault and <see cref="ClaimSegment"/> the claim's CLM.</remarks>
public sealed record BatchRejection(int Line, string? ClaimId, string Reason) : BatchItem
{
    public int? ClaimSegment { get; init; }
}
