namespace CodePairs.Storage;

/// <summary>A set of CMS files that together may form a release, and where they came from. <see cref="Nested"/>: blobs
/// in subfolders of a drop folder (relative names), which are never read as part of it: the refresh fails such a drop,
/// naming them, rather than load it without them.</summary>
public sealed record IncomingRelease(string Name, string Source, IReadOnlyList<IncomingFile> Files)
{
    public IReadOnlyList<string> Nested { get; init; } = [];
}
