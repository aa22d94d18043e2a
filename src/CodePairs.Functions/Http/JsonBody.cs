using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CodePairs.Functions.Http;

/// <summary>Reads a bounded JSON request body, turning every way it can be wrong into a problem response.</summary>
public static class JsonBody
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        TypeInfoResolver = System.Text.Json.Serialization.Metadata.JsonTypeInfoResolver.Combine(CodePairsJson.Default,
            new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver()),
    };

    public static async Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
        where T : class
    {
        if (request.ContentType is { } ct && !ct.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) && !ct.Contains("+json", StringComparison.OrdinalIgnoreCase))
            return (null, Problems.UnsupportedMediaType(ct));
        if (request.ContentLength > maxBytes) return (null, Problems.PayloadTooLarge(maxBytes));

        // Read at most maxBytes + 1 so a body without Content-Length cannot grow without bound.
        var buffer = new byte[Math.Min(maxBytes + 1, (int)(request.ContentLength ?? maxBytes + 1))];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await request.Body.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0) break;
            read += n;
        }
        if (read > maxBytes) return (null, Problems.PayloadTooLarge(maxBytes));
        if (read == 0) return (null, Problems.BadRequest("Empty body", "The request needs a JSON body."));
        try
        {
            var value = JsonSerializer.Deserialize<T>(JsonProblem.WithoutBom(buffer.AsSpan(0, read)), Options);
            return value is null
                ? (null, Problems.BadRequest("Empty body", "The JSON body is null."))
                : (value, null);
        }
        catch (JsonException e)
        {
            // Where the JSON breaks, or which field does not fit: never the body's content, never a .NET type.
            return (null, Problems.BadRequest("Malformed JSON", $"The body is not valid JSON for this request: {JsonProblem.Describe(e, typeof(T), Options)}"));
        }
    }
}
