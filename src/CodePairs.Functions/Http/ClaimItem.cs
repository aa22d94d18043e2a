namespace CodePairs.Functions.Http;

/// <summary>One claim of a batch body: where its bytes are and which line of the body it started on (NDJSON).</summary>
public readonly record struct ClaimItem(int Start, int Length, int Line);
