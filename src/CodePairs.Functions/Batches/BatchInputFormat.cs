using System.IO.Compression;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CodePairs.Rules.Batch;
using CodePairs.Rules.X12;

namespace CodePairs.Functions.Batches;

/// <summary>The format of an input blob: by its name, and for a <c>.txt</c> by its first segment (an 837 starts with
/// ISA); the name kept in <c>plan.json</c> and the status (<c>csv</c>, <c>jsonl</c>, <c>x12</c>).</summary>
internal static class BatchInputFormat
{
    public static string Name(BatchFormat format) => format switch { BatchFormat.JsonLines => "jsonl", BatchFormat.X12 => "x12", _ => "csv" };

    public static BatchFormat Parse(string name) => name switch { "jsonl" => BatchFormat.JsonLines, "x12" => BatchFormat.X12, _ => BatchFormat.Csv };

    /// <param name="name">The blob name without a <c>.gz</c> suffix.</param>
    public static async Task<BatchFormat> DetectAsync(BlobClient input, string name, string etag, bool gzip, CancellationToken cancellationToken)
        => X12Files.MaySniff(name) ? BatchReader.FormatOf(name, await HeadAsync(input, etag, gzip, cancellationToken)) : BatchReader.FormatOf(name);

    /// <summary>The first bytes of the file (decompressed when gzip): one small ranged read, not the whole blob.</summary>
    private static async Task<byte[]> HeadAsync(BlobClient input, string etag, bool gzip, CancellationToken cancellationToken)
    {
        var download = await input.DownloadStreamingAsync(new BlobDownloadOptions
        {
            Range = new HttpRange(0, 4096),
            Conditions = new BlobRequestConditions { IfMatch = new ETag("\"" + etag + "\"") },
        }, cancellationToken);
        await using var body = download.Value.Content;
        await using Stream source = gzip ? new GZipStream(body, CompressionMode.Decompress, leaveOpen: true) : body;
        var head = new byte[X12Files.SniffBytes];
        var n = 0;
        try
        {
            while (n < head.Length)
            {
                var read = await source.ReadAsync(head.AsMemory(n), cancellationToken);
                if (read == 0) break;
                n += read;
            }
        }
        catch (InvalidDataException) { } // not gzip after all: reading the chunk reports it
        return head[..n];
    }
}
