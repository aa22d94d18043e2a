using CodePairs.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CodePairs.Functions.Batches;

/// <summary>What a posted batch file is, by its Content-Type and Content-Encoding: the input blob's extension (which
/// decides how it is read) and its media type, or the 415 that refuses it.</summary>
internal static class SubmitMedia
{
    public static (string? Extension, string? Media, ProblemHttpResult? Refused) Of(HttpRequest request)
    {
        var media = (request.ContentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        var extension = media switch
        {
            "text/csv" or "application/csv" => ".csv",
            "application/x-ndjson" or "application/jsonl" or "application/x-jsonlines" or "application/jsonlines" => ".jsonl",
            "application/edi-x12" => ".837",
            _ => null,
        };
        if (extension is null)
            return (null, null, Problems.UnsupportedMediaType(request.ContentType,
                "Send the file as text/csv, application/x-ndjson (JSON Lines) or application/edi-x12 (an 837P/837I file), optionally with Content-Encoding: gzip."));
        var encoding = request.Headers.ContentEncoding.ToString().Trim().ToLowerInvariant();
        if (encoding is "gzip") return (extension + ".gz", media, null);
        if (encoding is not ("" or "identity")) return (null, null, Problems.UnsupportedMediaType(encoding, "Content-Encoding may only be gzip."));
        return (extension, media, null);
    }
}
