using System.Buffers;
using System.Text.Json;
using CodePairs.Functions.RuleSets;
using CodePairs.Rules;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodePairs.Functions.Http;

/// <summary>200 with one claim's answer, written straight to the response with <see cref="ClaimJsonWriter"/>.</summary>
public sealed class ClaimJsonResult(string? claimId, ValidationResult result) : IResult, IStatusCodeHttpResult
{
    public const string JsonContentType = "application/json; charset=utf-8";

    public int? StatusCode => StatusCodes.Status200OK;
    public ValidationResult Result => result;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = JsonContentType;
        var pipe = response.BodyWriter;
        using (var writer = new Utf8JsonWriter(pipe, WriterOptions(httpContext)))
        {
            ClaimJsonWriter.WriteResponse(writer, claimId, result);
        }
        await pipe.FlushAsync(httpContext.RequestAborted);
    }

    /// <summary>The writer options of the host's JSON options (their encoder: what the serializer path escapes).</summary>
    internal static JsonWriterOptions WriterOptions(HttpContext httpContext)
    {
        var json = httpContext.RequestServices?.GetService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>()?.Value.SerializerOptions;
        if (json is null) return default;
        var cached = _options;
        if (ReferenceEquals(cached?.Source, json)) return cached!.Writer;
        var writer = new JsonWriterOptions { Encoder = json.Encoder, Indented = json.WriteIndented, SkipValidation = !json.WriteIndented };
        _options = new CachedOptions(json, writer);
        return writer;
    }

    private sealed record CachedOptions(JsonSerializerOptions Source, JsonWriterOptions Writer);
    private static CachedOptions? _options;
}

/// <summary>
/// 200 with a batch's answers, in the order of the claims: each claim decoded, judged and written as soon as the one
/// before it is, and flushed to the client every <see cref="FlushBytes"/>, so the answer never sits whole in memory.
/// A JSON array body gets a JSON array back; an NDJSON body gets one answer a line. Owns the body's buffer.
/// </summary>
public sealed class ClaimBatchResult(ClaimBody body, LoadedRules rules, ApiOptions limits, ILogger logger) : IResult, IStatusCodeHttpResult
{
    public const string LinesContentType = "application/x-ndjson; charset=utf-8";
    private const int FlushBytes = 32 * 1024;
    private static readonly JsonEncodedText Index = JsonEncodedText.Encode("index"), Line = JsonEncodedText.Encode("line"),
        ClaimId = JsonEncodedText.Encode("claimId"), Problem = JsonEncodedText.Encode("problem");

    public int? StatusCode => StatusCodes.Status200OK;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        using var owned = body;
        var response = httpContext.Response;
        var lines = body.Kind == ClaimBodyKind.Lines;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = lines ? LinesContentType : ClaimJsonResult.JsonContentType;
        var pipe = response.BodyWriter;
        var totals = new BatchTotals();
        await using var writer = new Utf8JsonWriter(pipe, ClaimJsonResult.WriterOptions(httpContext));
        if (!lines) writer.WriteStartArray();
        long flushedAt = 0, sinceFlush = 0;
        for (var k = 0; k < body.Items.Count; k++)
        {
            WriteItem(writer, k, body.Items[k], lines, ref totals);
            if (lines)
            {
                // One answer a line: each item is its own JSON value, so the writer starts afresh after its newline.
                writer.Flush();
                pipe.Write("\n"u8);
                sinceFlush += writer.BytesCommitted + 1;
                writer.Reset(pipe);
            }
            else
            {
                sinceFlush = writer.BytesCommitted + writer.BytesPending - flushedAt;
            }
            if (sinceFlush >= FlushBytes)
            {
                writer.Flush(); // keeps the writer's place inside the array
                flushedAt = writer.BytesCommitted;
                sinceFlush = 0;
                await pipe.FlushAsync(httpContext.RequestAborted);
            }
        }
        if (!lines) writer.WriteEndArray();
        writer.Flush();
        await pipe.FlushAsync(httpContext.RequestAborted);
        Log.ClaimBatchValidated(logger, body.Items.Count, totals.Invalid, totals.Clean, totals.Findings, rules.RuleSetId);
    }

    private struct BatchTotals
    {
        public int Invalid, Clean, Findings;
    }

    private void WriteItem(Utf8JsonWriter w, int index, ClaimItem item, bool lines, ref BatchTotals totals)
    {
        var json = body.Item(item);
        w.WriteStartObject();
        w.WriteNumber(Index, index);
        if (lines) w.WriteNumber(Line, item.Line);
        if (json.Length > limits.MaxClaimBytes)
        {
            totals.Invalid++;
            WriteProblem(w, StatusCodes.Status413PayloadTooLarge, "payload-too-large", "Claim too large",
                $"A claim must be at most {limits.MaxClaimBytes} bytes.", null);
        }
        else
        {
            var decoded = ClaimDecoder.Decode(json, limits.MaxClaimLines, inBatch: true);
            if (decoded.Claim is { } claim)
            {
                var result = rules.Validator.Validate(claim);
                if (result.Clean) totals.Clean++;
                totals.Findings += result.Findings.Count;
                ClaimJsonWriter.WriteResponseProperties(w, claim.ClaimId, result);
            }
            else
            {
                totals.Invalid++;
                if (decoded.ClaimId is not null) w.WriteString(ClaimId, decoded.ClaimId);
                WriteProblem(w, StatusCodes.Status400BadRequest, "invalid-request", decoded.Title!, decoded.Detail!, decoded.Errors);
            }
        }
        w.WriteEndObject();
    }

    /// <summary>An RFC 9457 problem for one claim, in the shape of the single-claim 400 body.</summary>
    private static void WriteProblem(Utf8JsonWriter w, int status, string type, string title, string detail, IReadOnlyList<InputError>? errors)
    {
        w.WriteStartObject(Problem);
        w.WriteString("type"u8, Problems.TypeBase + type);
        w.WriteString("title"u8, title);
        w.WriteNumber("status"u8, status);
        w.WriteString("detail"u8, detail);
        if (errors is not null)
        {
            w.WriteStartArray("errors"u8);
            foreach (var e in errors)
            {
                w.WriteStartObject();
                if (e.Line is { } line) w.WriteNumber("line"u8, line);
                w.WriteString("field"u8, e.Field);
                w.WriteString("reason"u8, e.Reason);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }
}
