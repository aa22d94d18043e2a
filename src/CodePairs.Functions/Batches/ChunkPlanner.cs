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
        if (format == BatchFormat.X12) return await PlanX12Async(input, chunkBytes, cancellationToken);
        var lines = new LineScanner(new BatchContentStream(input, startOfFile: true));
        var cuts = new Cuts(format, chunkBytes);
        while (await lines.NextAsync(cancellationToken)) cuts.Add(lines.Content, lines.End, lines.TooLong);
        return cuts.Finish();
    }

    /// <summary>The engine's planner cuts at CLM segments and carries the envelope state; it reads synchronously, ahead.
    /// (Its reader, not <see cref="BatchContentStream"/>, judges the bytes: an 837 must start with ISA, segments are capped.)</summary>
    private static async Task<(IReadOnlyList<ChunkPlan> Chunks, int? CsvWidth, long Bytes)> PlanX12Async(Stream input, long chunkBytes,
        CancellationToken cancellationToken)
    {
        using var ahead = new ReadAheadStream(input, 1 << 20, cancellationToken);
        var planned = await Task.Run(() => X12ChunkPlanner.Plan(ahead, chunkBytes, cancellationToken), cancellationToken);
        return (planned.Select((c, i) => new ChunkPlan(i, c.Offset, c.Length, c.FirstSegment, c.Claims) { X12 = c.Start }).ToList(), null, -1);
    }

    /// <summary>
    /// The lines of a stream (CR, LF or CRLF end one) in one 1 MiB buffer that never grows. A line that fills the buffer
    /// is too long to keep: what is buffered is dropped (all but a final CR, which may start a CRLF) and the scan goes on
    /// to its end, reporting it <see cref="TooLong"/> with only its tail as <see cref="Content"/>.
    /// </summary>
    private sealed class LineScanner(Stream input)
    {
        private readonly byte[] _buffer = new byte[1 << 20];
        private int _start, _end, _lineStart, _lineLength;
        private long _bufferOffset;
        private bool _eof, _skipping, _last;

        /// <summary>The current line without its terminator (valid until the next <see cref="NextAsync"/>).</summary>
        public ReadOnlySpan<byte> Content => _buffer.AsSpan(_lineStart, _lineLength);

        /// <summary>The file offset just past the current line's terminator.</summary>
        public long End { get; private set; }

        public bool TooLong { get; private set; }

        public async ValueTask<bool> NextAsync(CancellationToken cancellationToken)
        {
            if (_last) return false;
            while (true)
            {
                var span = _buffer.AsSpan(_start, _end - _start);
                var at = span.IndexOfAny((byte)'\r', (byte)'\n');
                var needMore = at < 0 || (span[at] == (byte)'\r' && at + 1 == span.Length);
                if (needMore && !_eof)
                {
                    await FillAsync(cancellationToken);
                    continue;
                }
                if (at < 0 && span.Length == 0) return false; // end of file at a line end
                int terminator;
                if (at < 0) { _lineLength = span.Length; terminator = 0; _last = true; } // the last line has no terminator
                else { _lineLength = at; terminator = span[at] == (byte)'\r' && at + 1 < span.Length && span[at + 1] == (byte)'\n' ? 2 : 1; }
                _lineStart = _start;
                End = _bufferOffset + _start + _lineLength + terminator;
                TooLong = _skipping;
                _skipping = false;
                _start += _lineLength + terminator;
                return true;
            }
        }

        /// <summary>Keeps the partial line, makes room, reads on.</summary>
        private async ValueTask FillAsync(CancellationToken cancellationToken)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _bufferOffset += _start;
                _end -= _start;
                _start = 0;
            }
            if (_end == _buffer.Length)
            {
                var keep = _buffer[_end - 1] == (byte)'\r' ? 1 : 0;
                if (keep == 1) _buffer[0] = (byte)'\r';
                _bufferOffset += _end - keep;
                _end = keep;
                _skipping = true;
            }
            var n = await input.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            if (n == 0) _eof = true;
            _end += n;
        }
    }

    /// <summary>Where the chunks fall: past each target size, at the first line that cannot continue the claim before it.</summary>
    private sealed class Cuts(BatchFormat format, long chunkBytes)
    {
        private readonly List<ChunkPlan> _chunks = [];
        private readonly long _chunkBytes = chunkBytes;
        private int _line, _chunkFirstLine = 1;
        private int? _width;
        private long _chunkStart, _chunkLines, _previousEnd;
        private long _target = chunkBytes;
        private string? _previousId;
        private bool _previousHasId;

        public void Add(ReadOnlySpan<byte> content, long lineEnd, bool tooLong)
        {
            _line++;
            if (_line > BatchLimits.MaxFileLines)
                throw new BatchFileException($"the file has more than {BatchLimits.MaxFileLines:N0} lines (the most a batch file may hold): split it");
            if (_line == 1 && content.StartsWith("\uFEFF"u8)) content = content[3..];
            if (format == BatchFormat.Csv && _line == 1)
            {
                _width = BatchReader.CsvWidth(TextOf(content, tooLong) ?? throw new BatchFileException(
                    $"line 1: the header is longer than {BatchLimits.MaxLineChars:N0} characters; expected '{string.Join(',', BatchReader.Columns[..8])}[,setting]'"));
            }
            else DataLine(content, lineEnd, tooLong);
            _previousEnd = lineEnd;
        }

        private void DataLine(ReadOnlySpan<byte> content, long lineEnd, bool tooLong)
        {
            // Claim ids are only needed around a cut: for the line that crosses the target and the ones after.
            string? id = null;
            var hasId = false;
            if (format == BatchFormat.Csv && lineEnd >= _target)
            {
                var text = TextOf(content, tooLong);
                id = text is null ? null : BatchReader.ClaimIdOf(text);
                hasId = true;
            }
            if (_previousEnd >= _target && _previousEnd > _chunkStart &&
                (format != BatchFormat.Csv || (_previousHasId && hasId && (id is null || _previousId is null || id != _previousId))))
            {
                _chunks.Add(new ChunkPlan(_chunks.Count, _chunkStart, _previousEnd - _chunkStart, _chunkFirstLine, _chunkLines));
                _chunkStart = _previousEnd;
                _chunkFirstLine = _line;
                _chunkLines = 0;
                _target = _previousEnd + _chunkBytes;
            }
            _chunkLines++;
            _previousId = id;
            _previousHasId = hasId;
        }

        public (IReadOnlyList<ChunkPlan> Chunks, int? CsvWidth, long Bytes) Finish()
        {
            if (format == BatchFormat.Csv && _line == 0) BatchReader.CsvWidth(null); // throws: empty file
            _chunks.Add(new ChunkPlan(_chunks.Count, _chunkStart, _previousEnd - _chunkStart, _chunkFirstLine, _chunkLines));
            return (_chunks, _width, _previousEnd);
        }
    }

    /// <summary>A line as the reader sees it, or null when the reader rejects it unread for its length.</summary>
    private static string? TextOf(ReadOnlySpan<byte> content, bool skipped)
    {
        if (skipped || content.Length > 3 * BatchLimits.MaxLineChars) return null; // ≥ 1 char per 3 bytes of UTF-8
        var text = Encoding.UTF8.GetString(content);
        return text.Length > BatchLimits.MaxLineChars ? null : text;
    }
}
