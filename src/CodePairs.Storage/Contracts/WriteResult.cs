namespace CodePairs.Storage;

public sealed record WriteResult(int Entities, int Transactions, long Rows);
