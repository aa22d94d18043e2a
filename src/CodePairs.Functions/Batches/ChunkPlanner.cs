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
/// would in the whole file. Memory: one 1 MiB read buffer, never grown: a longer line is skipped to its end and, as the
/// reader rejects it unread (<see cref="BatchLimits.MaxLineChars"/>), it ends a claim like any unreadable line. The
/// bytes pass the same <see cref="BatchContentStream"/> check as the reader's, so binary or UTF-16 content fails here
/// the same way it fails a one-chunk file.
/// </summary>
public static class ChunkPlanner
{
    public static async Task<(IReadOnlyList<ChunkPlan> Chunks, int? CsvWidth, long Bytes)> PlanAsync(Stream input, BatchFormat format, long chunkBytes,
        CancellationToken cancellationToken)
    {
        if (format == BatchFormat.X12)
        {
            // The engine's planner cuts at CLM segments and carries the envelope state; it reads synchronously, ahead.
            // (Its reader, not BatchContentStream, judges the bytes: an 837 must start with ISA, segments are capped.)
            using var ahead = new ReadAheadStream(input, 1 << 20, cancellationToken);
            var planned = await Task.Run(() => X12ChunkPlanner.Plan(ahead, chunkBytes, cancellationToken), cancellationToken);
            return (planned.Select((c, i) => new ChunkPlan(i, c.Offset, c.Length, c.FirstSegment, c.Claims) { X12 = c.Start }).ToList(), null, -1);
        }
        input = new BatchContentStream(input, startOfFile: true);
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
        var longLine = false; // the current line did not fit the buffer: skipped, not held

        while (true)
        {
            var span = buffer.AsSpan(start, end - start);
            var at = span.IndexOfAny((byte)'\r', (byte)'\n');
            var needMore = at < 0 || (span[at] == (byte)'\r' && at + 1 == span.Length);
            if (needMore && !eof)
            {
                // Keep the partial line, make room, read on; a line that fills the buffer is too long to keep: drop
                // what is buffered (all but a final CR, which may start a CRLF) and go on to its end.
                if (start > 0) { Buffer.BlockCopy(buffer, start, buffer, 0, end - start); bufferOffset += start; end -= start; start = 0; }
                if (end == buffer.Length)
                {
                    var keep = buffer[end - 1] == (byte)'\r' ? 1 : 0;
                    if (keep == 1) buffer[0] = (byte)'\r';
                    bufferOffset += end - keep;
                    end = keep;
                    longLine = true;
                }
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
            if (line > BatchLimits.MaxFileLines)
                throw new BatchFileException($"the file has more than {BatchLimits.MaxFileLines:N0} lines (the most a batch file may hold): split it");
            if (line == 1 && content.StartsWith("\uFEFF"u8)) content = content[3..];
            var tooLong = longLine;
            longLine = false;

            if (format == BatchFormat.Csv && line == 1)
            {
                width = BatchReader.CsvWidth(TextOf(content, tooLong) ?? throw new BatchFileException(
                    $"line 1: the header is longer than {BatchLimits.MaxLineChars:N0} characters; expected '{string.Join(',', BatchReader.Columns[..8])}[,setting]'"));
            }
            else
            {
                // Claim ids are only needed around a cut: for the line that crosses the target and the ones after.
                string? id = null;
                var hasId = false;
                if (format == BatchFormat.Csv && lineEnd >= target)
                {
                    var text = TextOf(content, tooLong);
                    id = text is null ? null : BatchReader.ClaimIdOf(text);
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

    /// <summary>A line as the reader sees it, or null when the reader rejects it unread for its length.</summary>
    private static string? TextOf(ReadOnlySpan<byte> content, bool skipped)
    {
        if (skipped || content.Length > 3 * BatchLimits.MaxLineChars) return null; // ≥ 1 char per 3 bytes of UTF-8
        var text = Encoding.UTF8.GetString(content);
        return text.Length > BatchLimits.MaxLineChars ? null : text;
    }
}
