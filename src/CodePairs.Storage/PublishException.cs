namespace CodePairs.Storage;

/// <summary>A step of the protocol that found something wrong (verification): nothing was activated.</summary>
public sealed class PublishException(string message) : Exception(message);
