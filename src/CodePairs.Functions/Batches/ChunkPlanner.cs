using System.Text;
using CodePairs.Rules.Batch;
using CodePairs.Rules.X12;

namespace CodePairs.Functions.Batches;

/// <summary>One chunk of an input file: a byte range that starts at a line start and holds whole claims.</summary>
/// <param name="FirstLine">The 1-based file line of the first byte (for chunk 0 of a CSV, the header).</param>
/// <param name="Lines">Data lines in the range (the header excluded), or -1 when not counted (one-chunk files).</param>
/// <param name="Length">Bytes in the range, or -1 for "to the end".</param>
/// <remarks>An 837 chunk: <paramref name="FirstLine"/> is its first segment's number, <paramref name="Lines"/> its claims,
/// and <see cref="X12"/> where it starts inside the envelopes.</remarks>
public sealed record ChunkPlan(int Index, long Offset, long Length, int FirstLine, long Lines)
{
    public X12Resume? X12 { get; init; }
}

/// <summary>
/// Cuts a file into chunks of about <c>chunkBytes</c> in one streaming pass, counting lines the way
/// <see cref="StreamReader.ReadLine"/> does (CR, LF or CRLF end a line). A cut falls only between two lines that
/// cannot be one claim (different claim ids, or a line without one), so every chunk reads exactly as the same lines
/// would in the whole file. Memory: one read buffer (grown only for a line longer than it).
/// </summary>
public static class ChunkPlanner
{
    public static async Task<(IReadOnlyList<ChunkPlan> Chunks, int? CsvWidth, long Bytes)> PlanAsync(Stream input, BatchFormat format, long chunkBytes,
        CancellationToken cancellationToken)
    {
        if (format == BatchFormat.X12)
        {
            // The engine's planner cuts at CLM segments and carries the envelope state; it reads synchronously, ahead.
            using var ahead = new ReadAheadStream(input, 1 << 20, cancellationToken);
            var planned = await Task.Run(() => X12ChunkPlanner.Plan(ahead, chunkBytes, cancellationToken), cancellationToken);
            return (planned.Select((c, i) => new ChunkPlan(i, c.Offset, c.Length, c.FirstSegment, c.Claims) { X12 = c.Start }).ToList(), null, -1);
        }
        var chunks = new List<ChunkPlan>();
        var buffer = new byte[1 << 20];
        int start = 0, end = 0;
        long bufferOffset = 0;
        var eof = false;
        int line = 0;
        int? width = null;
        long chunkStart = 0, chunkLines = 0, target = chunkBytes, previousEnd = 0;
        int chunkFirstLine = 1;
        string? previousId = null;
        var previousHasId = false;

        while (true)
        {
            var span = buffer.AsSpan(start, end - start);
            var at = span.IndexOfAny((byte)'\r', (byte)'\n');
            var needMore = at < 0 || (span[at] == (byte)'\r' && at + 1 == span.Length);
            if (needMore && !eof)
            {
                // Keep the partial line, make room (grow for very long lines), read on.
                if (start > 0) { Buffer.BlockCopy(buffer, start, buffer, 0, end - start); bufferOffset += start; end -= start; start = 0; }
                if (end == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                var n = await input.ReadAsync(buffer.AsMemory(end), cancellationToken);
                if (n == 0) eof = true;
                end += n;
                continue;
            }
            if (at < 0 && span.Length == 0) break; // end of file at a line end
            int contentLength, terminator;
            if (at < 0) { contentLength = span.Length; terminator = 0; }
            else { contentLength = at; terminator = span[at] == (byte)'\r' && at + 1 < span.Length && span[at + 1] == (byte)'\n' ? 2 : 1; }
            var content = span[..contentLength];
            var lineEnd = bufferOffset + start + contentLength + terminator;
            line++;
            if (line == 1 && content.StartsWith("\uFEFF"u8)) content = content[3..];

            if (format == BatchFormat.Csv && line == 1)
            {
                width = BatchReader.CsvWidth(Encoding.UTF8.GetString(content));
            }
            else
            {
                // Claim ids are only needed around a cut: for the line that crosses the target and the ones after.
                string? id = null;
                var hasId = false;
                if (format == BatchFormat.Csv && lineEnd >= target)
                {
                    id = BatchReader.ClaimIdOf(Encoding.UTF8.GetString(content));
                    hasId = true;
                }
                if (previousEnd >= target && previousEnd > chunkStart &&
                    (format != BatchFormat.Csv || (previousHasId && hasId && (id is null || previousId is null || id != previousId))))
                {
                    chunks.Add(new ChunkPlan(chunks.Count, chunkStart, previousEnd - chunkStart, chunkFirstLine, chunkLines));
                    chunkStart = previousEnd;
                    chunkFirstLine = line;
                    chunkLines = 0;
                    target = previousEnd + chunkBytes;
                }
                chunkLines++;
                previousId = id;
                previousHasId = hasId;
            }
            previousEnd = lineEnd;
            start += contentLength + terminator;
            if (at < 0) break; // the last line had no terminator
        }
        if (format == BatchFormat.Csv && line == 0) BatchReader.CsvWidth(null); // throws: empty file
        chunks.Add(new ChunkPlan(chunks.Count, chunkStart, previousEnd - chunkStart, chunkFirstLine, chunkLines));
        return (chunks, width, previousEnd);
    }
}
