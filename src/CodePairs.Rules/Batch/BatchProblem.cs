namespace CodePairs.Rules.Batch;

/// <summary>A located problem with a part of the file that is not a claim (an 837 envelope error, a stray segment):
/// reported with the rejections, never counted as an input line or claim.</summary>
public sealed record BatchProblem(int Line, string Reason) : BatchItem;
