namespace CodePairs.Storage;

/// <summary>A set of CMS files that together may form a release, and where they came from.</summary>
public sealed record IncomingRelease(string Name, string Source, IReadOnlyList<IncomingFile> Files);
