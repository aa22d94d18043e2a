using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CodePairs.Functions.Http;

/// <summary>
/// The body of <c>POST v1/claims/validate</c>, read as it arrives into one pooled buffer that never grows past the
/// limit for its kind (<see cref="ApiOptions.MaxClaimBytes"/> for one claim, <see cref="ApiOptions.MaxBatchBytes"/>
/// for a batch), then framed into claims. Every way the body as a whole can be wrong is a problem response; a batch
/// whose framing holds gives each claim its own verdict later.
/// </summary>
public sealed class ClaimBody : IDisposable
{
    private const int FirstRead = 16 * 1024;
    private static readonly List<ClaimItem> NoItems = [];
    private byte[]? _buffer;

    private ClaimBody(byte[] buffer, int length, ClaimBodyKind kind, List<ClaimItem> items)
    {
        _buffer = buffer;
        Length = length;
        Kind = kind;
        Items = items;
    }

    public ClaimBodyKind Kind { get; }
    public int Length { get; }
    /// <summary>The claims of a batch, in order (empty for a single claim).</summary>
    public IReadOnlyList<ClaimItem> Items { get; }
    public ReadOnlySpan<byte> Bytes => _buffer.AsSpan(0, Length);
    public ReadOnlySpan<byte> Item(ClaimItem item) => _buffer.AsSpan(item.Start, item.Length);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } buffer) ArrayPool<byte>.Shared.Return(buffer);
    }

    public static bool IsLines(string? contentType)
        => contentType is { } ct && (ct.StartsWith("application/x-ndjson", StringComparison.OrdinalIgnoreCase)
                                     || ct.StartsWith("application/jsonl", StringComparison.OrdinalIgnoreCase));

    private static bool IsJson(string? contentType)
        => contentType is not { } ct || ct.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) || ct.Contains("+json", StringComparison.OrdinalIgnoreCase);

    public static async Task<(ClaimBody? Body, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, ApiOptions limits, CancellationToken cancellationToken)
    {
        var lines = IsLines(request.ContentType);
        if (!lines && !IsJson(request.ContentType)) return (null, Problems.UnsupportedMediaType(request.ContentType));
        var batchLimit = limits.MaxBatchBytes;
        if (request.ContentLength > batchLimit) return (null, Problems.PayloadTooLarge(batchLimit));

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(FirstRead, (request.ContentLength ?? FirstRead) + 1));
        var read = 0;
        var limit = batchLimit;
        var kind = lines ? ClaimBodyKind.Lines : (ClaimBodyKind?)null;
        try
        {
            while (true)
            {
                // Never read more than limit + 1 bytes (the pool may hand out a larger array than asked for).
                var capacity = (int)Math.Min(buffer.Length, limit + 1L);
                if (read == capacity)
                {
                    if (read > limit) break;
                    buffer = Grow(buffer, read, Math.Min((long)buffer.Length * 2, limit + 1L));
                    capacity = (int)Math.Min(buffer.Length, limit + 1L);
                }
                var n = await request.Body.ReadAsync(buffer.AsMemory(read, capacity - read), cancellationToken);
                if (n == 0) break;
                read += n;
                if (kind is null && FirstByte(buffer.AsSpan(0, read)) is { } first)
                {
                    // A JSON body is a batch when it is an array; anything else keeps the single-claim contract and limit.
                    kind = first == (byte)'[' ? ClaimBodyKind.Array : ClaimBodyKind.Single;
                    if (kind == ClaimBodyKind.Single)
                    {
                        limit = limits.MaxClaimBytes;
                        if (request.ContentLength > limit) return Fail(Problems.PayloadTooLarge(limit));
                    }
                }
                if (read > limit) break;
            }
            if (read > limit) return Fail(Problems.PayloadTooLarge(limit));
            if (read == 0) return Fail(Problems.BadRequest("Empty body", lines ? "The request needs one claim a line." : "The request needs a JSON body."));
            kind ??= ClaimBodyKind.Single; // whitespace only: the single-claim path words it as before

            var items = kind == ClaimBodyKind.Single ? NoItems : new List<ClaimItem>();
            var problem = kind switch
            {
                ClaimBodyKind.Array => FrameArray(buffer.AsSpan(0, read), items, limits),
                ClaimBodyKind.Lines => FrameLines(buffer.AsSpan(0, read), items, limits),
                _ => null,
            };
            if (problem is not null) return Fail(problem);
            var body = new ClaimBody(buffer, read, kind.Value, items);
            buffer = null;
            return (body, null);
        }
        finally
        {
            if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
        }

        (ClaimBody?, ProblemHttpResult?) Fail(ProblemHttpResult problem) => (null, problem);
    }

    private static byte[] Grow(byte[] buffer, int used, long size)
    {
        var bigger = ArrayPool<byte>.Shared.Rent((int)size);
        buffer.AsSpan(0, used).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(buffer);
        return bigger;
    }

    private static byte? FirstByte(ReadOnlySpan<byte> bytes)
    {
        if ("\uFEFF"u8.StartsWith(bytes)) return null; // a byte order mark, perhaps not all read yet
        foreach (var b in JsonProblem.WithoutBom(bytes))
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) return b;
        return null;
    }

    /// <summary>Each element of the top-level array, by its bytes. A body that is not one well-formed JSON array cannot
    /// be split into claims, so it is a problem as a whole.</summary>
    private static ProblemHttpResult? FrameArray(ReadOnlySpan<byte> json, List<ClaimItem> items, ApiOptions limits)
    {
        var bom = json.Length - JsonProblem.WithoutBom(json).Length;
        try
        {
            var reader = new Utf8JsonReader(JsonProblem.WithoutBom(json), new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            reader.Read(); // the '[' found while reading
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var start = (int)reader.TokenStartIndex + bom;
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
                if (items.Count == limits.MaxBatchClaims) return TooMany(limits);
                items.Add(new ClaimItem(start, (int)reader.BytesConsumed + bom - start, 0));
            }
            if (reader.TokenType != JsonTokenType.EndArray) throw new JsonException("The array is not closed.");
            if (reader.Read()) throw new JsonException("Only whitespace may follow the array.");
        }
        catch (JsonException e)
        {
            // The reader's message names the position, never the body's content.
            return Problems.BadRequest("Malformed JSON", $"The body is not a valid JSON array of claims ({items.Count} read before the error): {e.Message}");
        }
        return items.Count == 0 ? Problems.BadRequest("Empty batch", "The array holds no claim.") : null;
    }

    /// <summary>Each non-blank line (NDJSON): a line that is not a valid claim is that claim's own problem.</summary>
    private static ProblemHttpResult? FrameLines(ReadOnlySpan<byte> body, List<ClaimItem> items, ApiOptions limits)
    {
        var start = body.Length - JsonProblem.WithoutBom(body).Length;
        var line = 0;
        while (start < body.Length)
        {
            line++;
            var end = body[start..].IndexOf((byte)'\n');
            var next = end < 0 ? body.Length : start + end + 1;
            var text = body[start..(end < 0 ? body.Length : start + end)];
            var trimmed = text.TrimEnd(" \t\r"u8);
            var lead = trimmed.Length - trimmed.TrimStart(" \t"u8).Length;
            if (trimmed.Length > lead)
            {
                if (items.Count == limits.MaxBatchClaims) return TooMany(limits);
                items.Add(new ClaimItem(start + lead, trimmed.Length - lead, line));
            }
            start = next;
        }
        return items.Count == 0 ? Problems.BadRequest("Empty batch", "The body holds no claim line.") : null;
    }

    private static ProblemHttpResult TooMany(ApiOptions limits) => Problems.PayloadTooLarge(
        $"A batch may hold at most {limits.MaxBatchClaims} claims and {limits.MaxBatchBytes} bytes; send the rest in another request.");
}
