namespace CodePairs.Functions.Batches;

public sealed record BatchOutputs(string Folder, string Results, string Rejected, string Summary);
