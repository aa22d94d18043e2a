namespace CodePairs.Rules.Batch;

/// <summary>What the batch reader yields: a claim ready to validate, or a rejected input line.</summary>
public abstract record BatchItem;
