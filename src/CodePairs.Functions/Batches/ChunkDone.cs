namespace CodePairs.Functions.Batches;

/// <summary><c>chunks/NNNNNN.json</c>: a finished chunk, its counts and how many output parts it staged.</summary>
/// <remarks>For an 837 the lines are claims; <see cref="ServiceLines"/>, <see cref="ServiceLinesNotChecked"/> and
/// <see cref="FileProblems"/> (envelope errors) are counted too.</remarks>
public sealed record ChunkDone(int Index, long LinesIn, long LinesValidated, long LinesRejected, long Claims, long ClaimsClean, long ClaimsWithFindings,
    IReadOnlyDictionary<string, int> FindingsByKind, IReadOnlyDictionary<string, int> FindingsBySeverity, IReadOnlyList<string> TablesUsed,
    int ResultParts, int RejectedParts, long Milliseconds, long ServiceLines = 0, long ServiceLinesNotChecked = 0, long FileProblems = 0);
