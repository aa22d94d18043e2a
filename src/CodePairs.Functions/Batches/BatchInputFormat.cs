using System.IO.Compression;
using CodePairs.Rules.Batch;
using CodePairs.Rules.X12;
using CodePairs.Storage.Batches;

namespace CodePairs.Functions.Batches;

/// <summary>The format of an input blob: by its name, and for a <c>.txt</c> by its first segment (an 837 starts with ISA).</summary>
internal static class BatchInputFormat
{
    /// <summary>Compressed bytes read to sniff a gzip file's first segment (a deflate block's header and a few KiB).</summary>
    private const int HeadBytes = 4096;

    /// <param name="name">The blob name without a <c>.gz</c> suffix.</param>
    public static async Task<BatchFormat> DetectAsync(IBatchInputs inputs, string blobName, string name, string etag, bool gzip,
        CancellationToken cancellationToken)
        => X12Files.MaySniff(name)
            ? BatchReader.FormatOf(name, Head(await inputs.ReadHeadAsync(blobName, etag, gzip ? HeadBytes : X12Files.SniffBytes, cancellationToken), gzip))
            : BatchReader.FormatOf(name);

    /// <summary>The file's first bytes, decompressed when gzip (as many as a partial gzip gives: not gzip after all, or
    /// cut short, and reading the chunk reports it).</summary>
    private static byte[] Head(byte[] bytes, bool gzip)
    {
        if (!gzip) return bytes;
        using var source = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        var head = new byte[X12Files.SniffBytes];
        var n = 0;
        try
        {
            while (n < head.Length)
            {
                var read = source.Read(head.AsSpan(n));
                if (read == 0) break;
                n += read;
            }
        }
        catch (InvalidDataException) { }
        return head[..n];
    }
}
