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
        if (manifest.Files is null || manifest.Files.Count == 0)
            throw new CmsFileException(fileName, 0, "the manifest lists no files");
        return manifest;
    }
}
