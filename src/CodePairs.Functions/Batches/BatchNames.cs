using System.Buffers.Text;
using System.Text;

namespace CodePairs.Functions.Batches;

/// <summary>
/// Where a batch's output lives. Everything derives from the input blob's name and ETag, so a re-delivery of the same
/// blob lands on the same names (never a duplicate) and a new upload under the same name gets its own folder.
/// </summary>
public static class BatchNames
{
    /// <summary>The ETag without quotes (Azure's are <c>"0x8DC…"</c>).</summary>
    public static string Tag(string etag) => etag.Trim('"');

    /// <summary>The output folder in the output container: <c>&lt;name&gt;.&lt;etag&gt;/</c>.</summary>
    public static string Prefix(string name, string etag) => $"{name}.{Tag(etag)}/";

    /// <summary>The URL-safe batch id: base64url of the input name, a dot, the ETag.</summary>
    public static string Id(string name, string etag) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(name)) + "." + Tag(etag);

    public static bool TryParseId(string? id, out string name, out string etag)
    {
        name = etag = "";
        if (string.IsNullOrEmpty(id) || id.Length > 2048) return false;
        var dot = id.LastIndexOf('.');
        if (dot <= 0 || dot == id.Length - 1) return false;
        etag = id[(dot + 1)..];
        if (!etag.All(char.IsAsciiLetterOrDigit)) return false;
        try { name = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(id.AsSpan(0, dot))); }
        catch (FormatException) { return false; }
        return name.Length > 0;
    }

    /// <summary>Deterministic block id of output part <paramref name="part"/> of chunk <paramref name="chunk"/> (all ids have one length).</summary>
    public static string BlockId(int chunk, int part) => Convert.ToBase64String(Encoding.ASCII.GetBytes($"chunk-{chunk:D6}-{part:D6}"));

    public const string Results = "results.csv";
    public const string Rejected = "rejected.csv";
    public const string Summary = "summary.json";
    public const string Status = "status.json";
    public const string Plan = "plan.json";
    public const string ChunksFolder = "chunks/";

    public static string ChunkDone(int chunk) => $"{ChunksFolder}{chunk:D6}.json";
}
