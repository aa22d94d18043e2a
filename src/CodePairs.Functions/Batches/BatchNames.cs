using CodePairs.Storage.Batches;

namespace CodePairs.Functions.Batches;

/// <summary>
/// Where a batch's output lives. Everything derives from the input blob's name and ETag, so a re-delivery of the same
/// blob lands on the same names (never a duplicate) and a new upload under the same name gets its own folder.
/// </summary>
public static class BatchNames
{
    /// <summary>The ETag without quotes (Azure's are <c>"0x8DC…"</c>).</summary>
    public static string Tag(string etag) => etag.Trim('"');

    /// <summary>
    /// The output folder in the output container: <c>&lt;name&gt;.&lt;etag&gt;/</c>. The last guard before a storage
    /// path: a name that is not a <see cref="BatchBlobName"/> (or an ETag that is not a <see cref="BatchETag"/>) throws,
    /// so no caller can build a path outside its folder; the doors parse first and answer 400 or refuse the event.
    /// </summary>
    public static string Prefix(string name, string etag) => $"{BatchBlobName.Parse(name)}.{BatchETag.Parse(etag)}/";

    /// <summary>The URL-safe batch id: base64url of the input name, a dot, the ETag (see <see cref="BatchId"/>).</summary>
    public static string Id(string name, string etag) => new BatchId(BatchBlobName.Parse(name), BatchETag.Parse(etag)).ToString();

    public static bool TryParseId(string? id, out string name, out string etag)
    {
        var ok = BatchId.TryParse(id, out var parsed, out _);
        (name, etag) = ok ? (parsed.Name.Value, parsed.ETag.Value) : ("", "");
        return ok;
    }

    /// <summary>Deterministic block id of output part <paramref name="part"/> of chunk <paramref name="chunk"/> (all ids have one length).</summary>
    public static string BlockId(int chunk, int part) => BatchBlocks.Id(chunk, part);

    public const string Results = "results.csv";
    public const string Rejected = "rejected.csv";
    public const string Summary = "summary.json";
    public const string Status = "status.json";
    public const string Plan = "plan.json";
    public const string ChunksFolder = "chunks/";

    /// <summary>A chunked gzip file's inflated copy (the chunks' input; deleted when the batch ends).</summary>
    public const string Inflated = "input.inflated";

    public static string ChunkDone(int chunk) => $"{ChunksFolder}{chunk:D6}.json";
}
