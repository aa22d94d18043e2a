using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CodePairs.Functions.Batches;

/// <summary>
/// Reads what the queues hand the batch door (chunk work items, blob-trigger poison messages) into checked names:
/// the container must be the input container, the blob name a <see cref="BatchBlobName"/>, the ETag a
/// <see cref="BatchETag"/>. A message that does not read is refused with a reason (logged, then dropped), never
/// thrown: it would come back five times and then poison the poison queue.
/// </summary>
public static class BatchMessages
{
    public static bool TryReadChunk(string? message, string inputContainer, out ChunkMessage chunk, out string reason)
    {
        chunk = null!;
        ChunkMessage? m;
        try { m = JsonSerializer.Deserialize<ChunkMessage>(message ?? "", BatchJson.Options); }
        catch (JsonException) { reason = "not a chunk message (JSON)"; return false; }
        if (m is null) { reason = "an empty chunk message"; return false; }
        if (!TryCheck(m.Container, m.Name, m.ETag, inputContainer, out var name, out var etag, out reason)) return false;
        if (m.Index < 0) { reason = "a negative chunk index"; return false; }
        chunk = m with { Name = name.Value, ETag = etag.Value };
        return true;
    }

    /// <summary>
    /// A <c>webjobs-blobtrigger-poison</c> message (<c>{"FunctionId","ContainerName","BlobName","ETag",…}</c>). False with
    /// an empty reason when it is another function's message (not ours to handle).
    /// </summary>
    public static bool TryReadBlobPoison(string? message, string inputContainer, out (BatchBlobName Name, BatchETag ETag) blob, out string reason)
    {
        blob = default;
        reason = "";
        JsonDocument doc;
        try { doc = JsonDocument.Parse(message ?? ""); }
        catch (JsonException) { reason = "not a blob-trigger poison message (JSON)"; return false; }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) { reason = "not a blob-trigger poison message (an object)"; return false; }
            string? Get(string key) => doc.RootElement.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, key, StringComparison.OrdinalIgnoreCase)).Value
                is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;
            var function = Get("FunctionId");
            if (function is not null && !function.EndsWith("." + BatchFunctions.BlobFunction, StringComparison.Ordinal)) return false;
            if (!TryCheck(Get("ContainerName"), Get("BlobName"), Get("ETag"), inputContainer, out var name, out var etag, out reason)) return false;
            blob = (name, etag);
            return true;
        }
    }

    /// <summary>A short, non-reversible handle for a refused name, for logs (the name itself may carry patient data).</summary>
    public static string NameHash(string? name)
        => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name ?? "")))[..16];

    private static bool TryCheck(string? container, string? blobName, string? etagText, string inputContainer,
        out BatchBlobName name, out BatchETag etag, out string reason)
    {
        name = default;
        etag = default;
        if (!string.Equals(container, inputContainer, StringComparison.Ordinal)) { reason = "the container is not the batch input container"; return false; }
        if (!BatchBlobName.TryParse(blobName, out name, out reason)) return false;
        if (!BatchETag.TryParse(etagText, out etag)) { reason = "the ETag is not 1-64 letters and digits"; return false; }
        return true;
    }
}
