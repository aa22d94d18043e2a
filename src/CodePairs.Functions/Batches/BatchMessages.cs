using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CodePairs.Functions.Batches;

/// <summary>
/// Checks what the queues hand the batch door (chunk work items, blob-trigger poison messages), bound by the worker
/// as <see cref="ChunkMessage"/> and <see cref="BlobPoisonMessage"/>, into checked names: the container must be the
/// input container, the blob name a <see cref="BatchBlobName"/>, the ETag a <see cref="BatchETag"/>. A message that
/// does not check is refused with a reason (logged, then dropped), never thrown: it would come back five times and then
/// poison the poison queue. (Text that is not JSON at all never reaches the door: the worker cannot bind it, so the
/// host retries it and moves it to the poison queue like any failed message.)
/// </summary>
public static class BatchMessages
{
    /// <summary>How the worker binds a queue message to a type (its default serializer: property names in any case).</summary>
    public static readonly JsonSerializerOptions Binding = new() { PropertyNameCaseInsensitive = true };

    /// <summary>A message's text bound as the worker binds it: null when it is not JSON of that shape.</summary>
    public static T? Bind<T>(string? message) where T : class
    {
        try { return JsonSerializer.Deserialize<T>(message ?? "", Binding); }
        catch (JsonException) { return null; }
    }

    public static bool TryReadChunk(ChunkMessage? m, string inputContainer, out ChunkMessage chunk, out string reason)
    {
        chunk = null!;
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
    public static bool TryReadBlobPoison(BlobPoisonMessage? m, string inputContainer, out (BatchBlobName Name, BatchETag ETag) blob, out string reason)
    {
        blob = default;
        reason = "";
        if (m is null) { reason = "an empty blob-trigger poison message"; return false; }
        if (m.FunctionId is { } function && !function.EndsWith("." + BatchFunctions.BlobFunction, StringComparison.Ordinal)) return false;
        if (!TryCheck(m.ContainerName, m.BlobName, m.ETag, inputContainer, out var name, out var etag, out reason)) return false;
        blob = (name, etag);
        return true;
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
