using System.Text.Json;
using System.Text.Json.Serialization;

namespace CodePairs.Rules.Cms;

/// <summary>
/// Ties a set of CMS files into one release (<c>release.json</c> beside them): the release id, the first day of its
/// quarter, and each file's name, size and SHA-256. An import given a manifest refuses a missing file, an unlisted
/// CMS file, or a file whose hash differs.
/// </summary>
public sealed record ReleaseManifest(
    [property: JsonPropertyName("release")] string Release,
    [property: JsonPropertyName("effectiveFrom")] DateOnly EffectiveFrom,
    [property: JsonPropertyName("files")] IReadOnlyList<ReleaseManifest.File> Files)
{
    public sealed record File(
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("bytes")] long? Bytes = null,
        [property: JsonPropertyName("sha256")] string? Sha256 = null);

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public void Write(Stream stream) => JsonSerializer.Serialize(stream, this, Json);

    public static ReleaseManifest Read(Stream stream, string fileName)
    {
        ReleaseManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ReleaseManifest>(stream, Json);
        }
        catch (JsonException e)
        {
            throw new CmsFileException(fileName, (int)(e.LineNumber ?? -1) + 1, $"not a release manifest: {e.Message}");
        }
        if (manifest is null || string.IsNullOrWhiteSpace(manifest.Release))
            throw new CmsFileException(fileName, 0, "the manifest names no release");
        if (manifest.Release.Length > 64 || !manifest.Release.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            throw new CmsFileException(fileName, 0, "the manifest's release must be 1-64 letters, digits or hyphens (e.g. v322r0)");
        if (manifest.Files is null || manifest.Files.Count == 0)
            throw new CmsFileException(fileName, 0, "the manifest lists no files");
        for (var i = 0; i < manifest.Files.Count; i++)
        {
            var f = manifest.Files[i];
            if (f is null || string.IsNullOrWhiteSpace(f.Name))
                throw new CmsFileException(fileName, 0, $"files[{i}] names no file");
            if (f.Name != Path.GetFileName(f.Name) || f.Name is "." or "..")
                throw new CmsFileException(fileName, 0, $"files[{i}]: '{f.Name}' is not a plain file name");
        }
        var twice = manifest.Files.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new CmsFileException(fileName, 0, $"lists '{twice.Key}' twice");
        return manifest;
    }
}
