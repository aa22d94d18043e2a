using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Sylvan.Data.Csv;

namespace CodePairs.Rules.Batch;

/// <summary>Where a parallel batch run spent its time (summed over threads: the workers' figures add up both cores).</summary>
public sealed class BatchTimings
{
    private long _read, _split, _parse, _validate, _format, _write, _waitWrite;

    /// <summary>Splitter thread: reading (download, inflate, content check) and cutting blocks.</summary>
    public TimeSpan Read => Span(_read);
    public TimeSpan Split => Span(_split);
    /// <summary>Workers: decoding and parsing (Sylvan, claim grouping, JSON), validating, formatting rows to UTF-8.</summary>
    public TimeSpan Parse => Span(_parse);
    public TimeSpan Validate => Span(_validate);
    public TimeSpan Format => Span(_format);
    /// <summary>Ordered writer: handing blocks to the output streams (for the door: staging 4 MiB blocks), and waiting for the next block.</summary>
    public TimeSpan Write => Span(_write);
    public TimeSpan WaitForBlocks => Span(_waitWrite);
    public int Blocks { get; internal set; }

    private static TimeSpan Span(long timestamps) => TimeSpan.FromSeconds((double)timestamps / Stopwatch.Frequency);

    internal void AddRead(long t) => Interlocked.Add(ref _read, t);
    internal void AddSplit(long t) => Interlocked.Add(ref _split, t);
    internal void AddParse(long t) => Interlocked.Add(ref _parse, t);
    internal void AddValidate(long t) => Interlocked.Add(ref _validate, t);
    internal void AddFormat(long t) => Interlocked.Add(ref _format, t);
    internal void AddWrite(long t) => Interlocked.Add(ref _write, t);
    internal void AddWaitWrite(long t) => Interlocked.Add(ref _waitWrite, t);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"read {Read.TotalSeconds:N2} s, split {Split.TotalSeconds:N2} s (splitter thread); parse {Parse.TotalSeconds:N2} s, validate {Validate.TotalSeconds:N2} s, " +
        $"format {Format.TotalSeconds:N2} s (workers, summed); write {Write.TotalSeconds:N2} s, waiting for blocks {WaitForBlocks.TotalSeconds:N2} s (writer); {Blocks} blocks");
}

/// <summary>
/// The parallel batch engine for CSV and JSON Lines (issue 12): one splitter cuts the input bytes into numbered blocks of
/// whole lines (≈ 1 MiB, cut only where no claim can continue: between two lines whose claim ids differ, as the chunk
/// planner cuts files); one worker per core decodes, parses (Sylvan for CSV, <see cref="ClaimJsonReader"/> for JSON
/// Lines), validates and formats its block into a buffer; one ordered writer hands the buffers on in block order, so
/// the output is the bytes <see cref="BatchCheck"/> writes for the same input (both format through
/// <see cref="BatchCheck.WriteItem"/> and group CSV claims through <see cref="BatchReader.CsvClaims"/>). At most a few
/// blocks are in flight (memory flat whatever the file size). Every cap of the reference reader holds: the line cap
/// (a line past it is skipped unheld), the file's line cap, the content check; a CSV run of one claim id longer than
/// the largest block (only a claim far past <see cref="ClaimLimits.MaxLines"/>) is finished by the reference engine.
/// </summary>
public static class ParallelBatchCheck
{
    /// <summary>Input bytes a block is cut at (a block grows past it only for one long claim).</summary>
    public const int BlockBytes = 1 << 20;

    // No line within the character cap is longer than 3 UTF-8 bytes a UTF-16 char (4-byte sequences are 2 chars).
    private const int MaxLineBytes = 3 * BatchLimits.MaxLineChars;

    private static readonly UTF8Encoding Utf8 = new(false);

    /// <summary>
    /// Checks a CSV or JSON Lines input (a whole file, or a chunk's slice of it) and writes result rows to
    /// <paramref name="results"/> and rejected lines to <paramref name="rejected"/> (no headers), as
    /// <see cref="BatchCheck.Run(BatchReader, ClaimValidator, TextWriter, TextWriter?, bool, IProgress{int}?, CancellationToken)"/> does.
    /// </summary>
    public static BatchSummary Run(Stream input, BatchFormat format, Setting defaultSetting, BatchSlice? slice, ClaimValidator validator,
        Stream results, Stream rejected, int workers = 0, BatchTimings? timings = null, bool includeInfo = false,
        CancellationToken cancellationToken = default)
        => Run(input, format, defaultSetting, slice, validator, results, rejected, workers, timings, includeInfo, BlockBytes, cancellationToken);

    /// <summary>As the public overload, with blocks cut at <paramref name="blockBytes"/> (tests use small ones to cut often).</summary>
    internal static BatchSummary Run(Stream input, BatchFormat format, Setting defaultSetting, BatchSlice? slice, ClaimValidator validator,
        Stream results, Stream rejected, int workers, BatchTimings? timings, bool includeInfo, int blockBytes, CancellationToken cancellationToken)
    {
        if (format == BatchFormat.X12) throw new ArgumentException("837 files are read by the reference engine", nameof(format));
        workers = workers > 0 ? workers : Math.Clamp(Environment.ProcessorCount, 1, 8);
        var run = new RunState(format, defaultSetting, validator, includeInfo, timings ?? new BatchTimings(), workers, blockBytes, cancellationToken);
        return run.Execute(input, slice, results, rejected);
    }

    private sealed class Block
    {
        public byte[]? Data;
        public int Offset, Length;
        public int FirstLine, Lines;
        public bool TooLong; // a marker for one line past the cap (never held)
        public byte[]? Results, Rejected;
        public int ResultsLength, RejectedLength;
        public BatchTally? Tally;
        public Exception? Error;
        public readonly ManualResetEventSlim Done = new(false);
    }

    private sealed class RunState(BatchFormat format, Setting defaultSetting, ClaimValidator validator, bool includeInfo, BatchTimings timings,
        int workers, int blockBytes, CancellationToken cancellationToken)
    {
        private readonly CancellationTokenSource _cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        private readonly BatchTally _tally = new();
        private int _width;
        private long _lines;

        public BatchSummary Execute(Stream input, BatchSlice? slice, Stream results, Stream rejected)
        {
            var work = new BlockingCollection<Block>(2 * workers);
            var ordered = new BlockingCollection<Block>(2 * workers + 2); // bounds the blocks in flight
            var token = _cancel.Token;
            const TaskCreationOptions Stage = TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach;
            var workerTasks = Enumerable.Range(0, workers).Select(_ => Task.Factory.StartNew(() => Work(work, token), token, Stage, TaskScheduler.Default)).ToArray();
            var writer = Task.Factory.StartNew(() => WriteOrdered(ordered, results, rejected, token), token, Stage, TaskScheduler.Default);
            var splitter = new Splitter(this, input, slice, work, ordered, token);
            var failures = new List<Exception>();
            try { splitter.Run(); }
            catch (Exception e) { failures.Add(e); _cancel.Cancel(); }
            finally
            {
                work.CompleteAdding();
                ordered.CompleteAdding();
            }
            try { Task.WaitAll([writer, .. workerTasks]); }
            catch (AggregateException e) { failures.AddRange(e.InnerExceptions); }
            // The cause, not the cancellation it set off in the other stages (a file problem, a storage fault, a bug).
            var failure = failures.FirstOrDefault(e => e is not OperationCanceledException) ?? failures.FirstOrDefault();
            if (failure is null && splitter.Tail is { } tail)
            {
                // One claim id over more than the largest block: the rest of the input goes through the reference engine.
                using var resultsText = new StreamWriter(results, Utf8, 1 << 16, leaveOpen: true);
                using var rejectedText = new StreamWriter(rejected, Utf8, 1 << 16, leaveOpen: true);
                var reader = new BatchReader(tail.Stream, format, defaultSetting, new BatchSlice(tail.FirstLine, _width));
                var rest = BatchCheck.Run(reader, validator, resultsText, rejectedText, includeInfo, null, cancellationToken);
                _lines += rest.LinesIn;
                _tally.Claims += rest.Claims; _tally.Clean += rest.ClaimsClean; _tally.WithFindings += rest.ClaimsWithFindings;
                _tally.Validated += rest.LinesValidated; _tally.RejectedLines += rest.LinesRejected;
                foreach (var (k, v) in rest.FindingsByKind) _tally.ByKind[k] = _tally.ByKind.GetValueOrDefault(k) + v;
                foreach (var (k, v) in rest.FindingsBySeverity) _tally.BySeverity[k] = _tally.BySeverity.GetValueOrDefault(k) + v;
                _tally.TablesUsed.UnionWith(rest.TablesUsed);
            }
            splitter.Dispose();
            _cancel.Dispose();
            if (failure is not null)
            {
                if (failure is OperationCanceledException && cancellationToken.IsCancellationRequested) cancellationToken.ThrowIfCancellationRequested();
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            }
            results.Flush();
            rejected.Flush();
            return _tally.Summary(false, checked((int)_lines), 0);
        }

        public int Width { get => _width; set => _width = value; }

        public BatchTimings Timings => timings;

        public Setting DefaultSetting => defaultSetting;

        public BatchFormat Format => format;

        public int BlockBytes => blockBytes;

        public int MaxBlockBytes => 16 * blockBytes;

        // Claims are validated and written a few hundred at a time as the block is parsed, so they die young: a whole
        // block's claims, results and findings held at once outlived gen-0 collections and were promoted (the GC cost the
        // reference pipeline's small chunks avoid).
        private const int ItemsPerDrain = 256;

        private void Work(BlockingCollection<Block> work, CancellationToken token)
        {
            // Per worker, reused block after block (no per-block large buffers): rows are encoded as they are written.
            var sink = new Sink(this);
            var scratch = new Scratch();
            foreach (var block in work.GetConsumingEnumerable(token))
            {
                try
                {
                    var clock = Stopwatch.GetTimestamp();
                    sink.Start();
                    if (block.TooLong) sink.Items.Add(new BatchRejection(block.FirstLine, null, BatchReader.TooLongReason));
                    else if (format == BatchFormat.Csv) ParseCsv(block, sink, scratch);
                    else ParseJsonLines(block, sink);
                    sink.Drain();
                    (block.Results, block.Rejected, block.ResultsLength, block.RejectedLength, block.Tally) = sink.Finish();
                    var spent = Stopwatch.GetTimestamp() - clock;
                    timings.AddParse(spent - sink.ValidateTime - sink.FormatTime);
                    timings.AddValidate(sink.ValidateTime);
                    timings.AddFormat(sink.FormatTime);
                }
                catch (Exception e) { block.Error = e; }
                finally
                {
                    if (block.Data is { } data) ArrayPool<byte>.Shared.Return(data);
                    block.Data = null;
                    block.Done.Set();
                }
            }
            sink.Dispose();
        }

        /// <summary>A worker's items on their way out: validated and formatted every <see cref="ItemsPerDrain"/> items.</summary>
        private sealed class Sink(RunState run) : IDisposable
        {
            private readonly MemoryStream _results = new(1 << 20), _rejected = new(1 << 12);
            private StreamWriter? _resultsWriter, _rejectedWriter;
            private BatchTally _tally = new();
            public readonly List<BatchItem> Items = new(ItemsPerDrain * 2);
            public long ValidateTime, FormatTime;

            public void Start()
            {
                _resultsWriter ??= new StreamWriter(_results, Utf8, 1 << 14, leaveOpen: true);
                _rejectedWriter ??= new StreamWriter(_rejected, Utf8, 1 << 12, leaveOpen: true);
                _results.SetLength(0);
                _rejected.SetLength(0);
                _tally = new BatchTally();
                Items.Clear();
                ValidateTime = FormatTime = 0;
            }

            /// <summary>Drops what this block wrote so far (the Sylvan pass gave way to the line-by-line one).</summary>
            public void Restart()
            {
                _resultsWriter!.Flush();
                _rejectedWriter!.Flush();
                var (v, f) = (ValidateTime, FormatTime);
                Start();
                (ValidateTime, FormatTime) = (v, f);
            }

            public void MaybeDrain()
            {
                if (Items.Count >= ItemsPerDrain) Drain();
            }

            public void Drain()
            {
                var clock = Stopwatch.GetTimestamp();
                var results = new ValidationResult?[Items.Count];
                for (var k = 0; k < Items.Count; k++)
                    if (Items[k] is BatchClaim c) results[k] = run.Validator.Validate(c.Claim);
                var validated = Stopwatch.GetTimestamp();
                for (var k = 0; k < Items.Count; k++)
                    BatchCheck.WriteItem(Items[k], results[k], _resultsWriter!, _rejectedWriter!, false, run.IncludeInfo, _tally);
                Items.Clear();
                var formatted = Stopwatch.GetTimestamp();
                ValidateTime += validated - clock;
                FormatTime += formatted - validated;
            }

            public (byte[], byte[], int, int, BatchTally) Finish()
            {
                _resultsWriter!.Flush();
                _rejectedWriter!.Flush();
                var (r, rl) = Copy(_results);
                var (j, jl) = Copy(_rejected);
                return (r, j, rl, jl, _tally);
            }

            public void Dispose()
            {
                _resultsWriter?.Dispose();
                _rejectedWriter?.Dispose();
            }
        }

        public ClaimValidator Validator => validator;

        public bool IncludeInfo => includeInfo;

        private static (byte[], int) Copy(MemoryStream bytes)
        {
            var length = (int)bytes.Length;
            var copy = ArrayPool<byte>.Shared.Rent(Math.Max(1, length));
            bytes.GetBuffer().AsSpan(0, length).CopyTo(copy);
            return (copy, length);
        }

        /// <summary>A worker's decode buffer and Sylvan buffer, grown when a block needs more, never per block.</summary>
        private sealed class Scratch
        {
            public char[] Chars = new char[BatchLimits.MaxLineChars];
            public readonly char[] Csv = new char[1 << 16];

            public char[] CharsFor(int bytes)
            {
                var need = Utf8.GetMaxCharCount(bytes);
                if (Chars.Length < need) Chars = new char[Math.Max(need, Chars.Length * 2)];
                return Chars;
            }
        }

        private void ParseCsv(Block block, Sink sink, Scratch scratch)
        {
            var bytes = block.Data.AsSpan(block.Offset, block.Length);
            var chars = scratch.CharsFor(bytes.Length);
            {
                var count = Utf8.GetChars(bytes, chars);
                // Sylvan splits RFC 4180 records, where a quoted field may hold a line break: the batch contract rejects
                // that ("not closed on this line"). And it takes the first line end it meets for the file's: after a lone
                // CR it reads CRLF as CR + a line starting with LF. A block without a quote and without a lone CR is one
                // record a line, so Sylvan reads it (checked: as many records as lines); any other block goes line by
                // line through the reference splitter (LineSource + the quoting rules of BatchReader).
                if (bytes.IndexOf((byte)'"') < 0 && !HasLoneCr(bytes) && TryCsvWithSylvan(block, chars, count, sink, scratch.Csv)) return;
                sink.Restart();
                var claims = new BatchReader.CsvClaims(_width, defaultSetting);
                var lines = new LineSource(new CharArrayReader(chars, count));
                var number = block.FirstLine;
                while (lines.Next(out var line))
                {
                    claims.Add(number++, line, sink.Items);
                    sink.MaybeDrain();
                }
                claims.End(sink.Items);
                if (number - block.FirstLine != block.Lines) throw new InvalidOperationException($"block at line {block.FirstLine}: {number - block.FirstLine} lines read, {block.Lines} cut");
            }
        }

        private static bool HasLoneCr(ReadOnlySpan<byte> bytes)
        {
            var cr = bytes.Count((byte)'\r');
            return cr > 0 && cr != bytes.Count("\r\n"u8);
        }

        private bool TryCsvWithSylvan(Block block, char[] chars, int count, Sink sink, char[] buffer)
        {
            var claims = new BatchReader.CsvClaims(_width, defaultSetting);
            using var csv = CsvDataReader.Create(new CharArrayReader(chars, count), buffer, new CsvDataReaderOptions
            {
                HasHeaders = false, Delimiter = ',', MaxBufferSize = MaxLineBytes + 16,
            });
            var rows = 0;
            while (csv.Read())
            {
                var fields = csv.RowFieldCount;
                var length = fields - 1;
                for (var i = 0; i < fields; i++) length += csv.GetFieldSpan(i).Length;
                string? line = null;
                if (length <= BatchLimits.MaxLineChars)
                {
                    // No quotes: the record is its fields joined by commas, the line the reference reader sees.
                    line = string.Create(length, csv, static (span, r) =>
                    {
                        var at = 0;
                        for (var i = 0; i < r.RowFieldCount; i++)
                        {
                            if (i > 0) span[at++] = ',';
                            var f = r.GetFieldSpan(i);
                            f.CopyTo(span[at..]);
                            at += f.Length;
                        }
                    });
                }
                claims.Add(block.FirstLine + rows, line, sink.Items);
                sink.MaybeDrain();
                rows++;
            }
            claims.End(sink.Items);
            return rows == block.Lines;
        }

        private void ParseJsonLines(Block block, Sink sink)
        {
            var span = block.Data.AsSpan(block.Offset, block.Length);
            var number = block.FirstLine;
            while (span.Length > 0)
            {
                var at = span.IndexOfAny((byte)'\r', (byte)'\n');
                var content = at < 0 ? span : span[..at];
                var next = at < 0 ? span.Length : at + (span[at] == (byte)'\r' && at + 1 < span.Length && span[at + 1] == (byte)'\n' ? 2 : 1);
                span = span[next..];
                var tooLong = content.Length > BatchLimits.MaxLineChars && Utf8.GetCharCount(content) > BatchLimits.MaxLineChars;
                if (!tooLong && ClaimJsonReader.TryRead(content, ClaimLimits.MaxLines, out var claim) && claim is not null)
                {
                    var lines = new int[claim.Lines.Count];
                    Array.Fill(lines, number);
                    sink.Items.Add(new BatchClaim(claim, lines));
                }
                else sink.Items.Add(BatchReader.JsonLine(number, tooLong ? null : Utf8.GetString(content), defaultSetting));
                sink.MaybeDrain();
                number++;
            }
            if (number - block.FirstLine != block.Lines) throw new InvalidOperationException($"block at line {block.FirstLine}: {number - block.FirstLine} lines read, {block.Lines} cut");
        }

        private void WriteOrdered(BlockingCollection<Block> ordered, Stream results, Stream rejected, CancellationToken token)
        {
            try
            {
                foreach (var block in ordered.GetConsumingEnumerable(token))
                {
                    var clock = Stopwatch.GetTimestamp();
                    block.Done.Wait(token);
                    var ready = Stopwatch.GetTimestamp();
                    try
                    {
                        if (block.Error is { } error) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
                        results.Write(block.Results.AsSpan(0, block.ResultsLength));
                        rejected.Write(block.Rejected.AsSpan(0, block.RejectedLength));
                        _tally.Add(block.Tally!);
                        _lines += block.Lines;
                        timings.Blocks++;
                    }
                    finally
                    {
                        if (block.Results is { } r) ArrayPool<byte>.Shared.Return(r);
                        if (block.Rejected is { } j) ArrayPool<byte>.Shared.Return(j);
                        block.Results = block.Rejected = null;
                        block.Done.Dispose();
                    }
                    timings.AddWaitWrite(ready - clock);
                    timings.AddWrite(Stopwatch.GetTimestamp() - ready);
                }
            }
            catch
            {
                _cancel.Cancel(); // release the splitter and the workers
                // Return what is still queued so nothing waits on a writer that has stopped.
                throw;
            }
        }
    }

    /// <summary>The rest of a CSV input after a run of one claim id longer than the largest block.</summary>
    private sealed record TailInput(Stream Stream, int FirstLine);

    /// <summary>
    /// Cuts the input into blocks of whole lines, counting lines the way <see cref="LineSource"/> does (CR, LF or CRLF
    /// end a line), on the caller's thread.
    /// </summary>
    private sealed class Splitter : IDisposable
    {
        private readonly RunState _run;
        private readonly Stream _input;
        private readonly BatchSlice? _slice;
        private readonly BlockingCollection<Block> _work, _ordered;
        private readonly CancellationToken _token;
        private readonly List<int> _ends = new(1 << 15); // line ends (after the terminator) of the current block's complete lines
        private byte[] _buffer;
        private int _length, _blockStart, _pos;
        private bool _eof;
        private int _nextLine; // the file line number of the current block's first line
        private long _linesOut;

        public Splitter(RunState run, Stream input, BatchSlice? slice, BlockingCollection<Block> work, BlockingCollection<Block> ordered, CancellationToken token)
        {
            _run = run;
            _buffer = ArrayPool<byte>.Shared.Rent(run.BlockBytes);
            _input = new BatchContentStream(input, startOfFile: slice is null || slice.FirstLineNumber == 1);
            _slice = slice;
            _work = work;
            _ordered = ordered;
            _token = token;
            _nextLine = slice?.FirstLineNumber ?? 1;
        }

        public TailInput? Tail { get; private set; }

        public void Run()
        {
            Fill();
            // A UTF-8 byte-order mark at the start is dropped, as StreamReader drops it.
            if (_length >= 3 && _buffer.AsSpan(0, 3).SequenceEqual("\uFEFF"u8)) _blockStart = _pos = 3;
            if (_run.Format == BatchFormat.Csv)
            {
                if (_slice is { CsvWidth: { } w }) _run.Width = w;
                else Header();
            }
            while (true)
            {
                _token.ThrowIfCancellationRequested();
                var clock = Stopwatch.GetTimestamp();
                var state = ScanLines();
                _run.Timings.AddSplit(Stopwatch.GetTimestamp() - clock);
                if (state == Scan.End)
                {
                    if (_ends.Count > 0) Emit(_ends[^1], _ends.Count, transfer: true);
                    break;
                }
                if (state == Scan.LongLine) { CarveLongLine(); continue; }
                // The buffer is full and ends inside a line: cut a block (or grow for one long claim), then read on.
                if (_length < _buffer.Length) { Fill(); continue; }
                if (!Cut())
                {
                    if (_blockStart > 0) Compact(_buffer.Length);
                    else if (_buffer.Length < _run.MaxBlockBytes) Compact(_buffer.Length * 2);
                    else
                    {
                        // One claim id over 16 MiB: only a claim far past the line cap. The reference reader finishes the input.
                        Tail = new TailInput(new PrefixedStream(_buffer.AsMemory(_blockStart, _length - _blockStart), _input), _nextLine);
                        return;
                    }
                }
                Fill();
            }
            if (_linesOut == 0 && _run.Format == BatchFormat.JsonLines && _slice is null)
                throw new BatchFileException("the file is empty: it holds no JSON line");
        }

        private enum Scan { End, NeedMore, LongLine }

        /// <summary>Records complete lines from <see cref="_pos"/> until the data ends inside a line (or the input ends).</summary>
        private Scan ScanLines()
        {
            while (true)
            {
                var span = _buffer.AsSpan(_pos, _length - _pos);
                if (span.IsEmpty && _eof) return Scan.End;
                var at = span.IndexOfAny((byte)'\r', (byte)'\n');
                int content, terminator;
                if (at < 0)
                {
                    if (span.Length > MaxLineBytes) return Scan.LongLine;
                    if (!_eof) return Scan.NeedMore;
                    (content, terminator) = (span.Length, 0);
                }
                else if (span[at] == (byte)'\r' && at + 1 == span.Length && !_eof)
                {
                    if (at > MaxLineBytes) return Scan.LongLine;
                    return Scan.NeedMore; // a CR that may start a CRLF
                }
                else
                {
                    (content, terminator) = (at, span[at] == (byte)'\r' && at + 1 < span.Length && span[at + 1] == (byte)'\n' ? 2 : 1);
                    if (content > MaxLineBytes) return Scan.LongLine;
                }
                _pos += content + terminator;
                _ends.Add(_pos);
            }
        }

        /// <summary>The line at <see cref="_pos"/> is past the cap whatever its characters: its lines before go as a block,
        /// the line as a marker, and its bytes are skipped to its end, never held.</summary>
        private void CarveLongLine()
        {
            if (_ends.Count > 0) Emit(_ends[^1], _ends.Count, transfer: false);
            EmitMarker();
            // Skip to the end of the line.
            var from = _pos;
            while (true)
            {
                var span = _buffer.AsSpan(from, _length - from);
                var at = span.IndexOfAny((byte)'\r', (byte)'\n');
                if (at >= 0)
                {
                    var end = from + at + 1;
                    if (_buffer[from + at] == (byte)'\r')
                    {
                        if (end == _length && !_eof)
                        {
                            _length = _pos = _blockStart = 0;
                            Fill();
                            if (_length > 0 && _buffer[0] == (byte)'\n') _pos = _blockStart = 1;
                            return;
                        }
                        if (end < _length && _buffer[end] == (byte)'\n') end++;
                    }
                    _pos = _blockStart = end;
                    return;
                }
                if (_eof) { _pos = _blockStart = _length; return; }
                _length = 0;
                from = 0;
                Fill();
                _pos = _blockStart = 0;
            }
        }

        /// <summary>Cuts after the last complete line that no claim continues past; false when there is none in the buffer.</summary>
        private bool Cut()
        {
            var count = _ends.Count;
            if (count == 0) return false;
            if (_run.Format == BatchFormat.JsonLines)
            {
                Emit(_ends[count - 1], count, transfer: true);
                return true;
            }
            // Between line k-1 and line k (both complete): safe when their claim ids differ or either has none.
            var idAfter = IdOf(count - 1);
            for (var k = count - 1; k >= 1; k--)
            {
                var idBefore = IdOf(k - 1);
                if (idBefore is null || idAfter is null || idBefore != idAfter)
                {
                    Emit(_ends[k - 1], k, transfer: true);
                    return true;
                }
                idAfter = idBefore;
            }
            return false;
        }

        private string? IdOf(int line)
        {
            var start = line == 0 ? _blockStart : _ends[line - 1];
            var end = _ends[line];
            while (end > start && (_buffer[end - 1] == (byte)'\n' || _buffer[end - 1] == (byte)'\r')) end--;
            var text = Utf8.GetString(_buffer, start, end - start);
            return text.Length > BatchLimits.MaxLineChars ? null : BatchReader.ClaimIdOf(text);
        }

        /// <summary>Hands the block [block start, end) of <paramref name="lines"/> lines on. Transferred: the block keeps the
        /// buffer and what follows the cut moves to a fresh one (rescanned from its start); else the block is a copy.</summary>
        private void Emit(int end, int lines, bool transfer)
        {
            var first = _nextLine;
            if ((long)first - 1 + lines > BatchLimits.MaxFileLines)
                throw new BatchFileException($"the file has more than {BatchLimits.MaxFileLines:N0} lines (the most a batch file may hold): split it");
            Block block;
            if (transfer)
            {
                block = new Block { Data = _buffer, Offset = _blockStart, Length = end - _blockStart, FirstLine = first, Lines = lines };
                var rest = _length - end;
                var next = ArrayPool<byte>.Shared.Rent(Math.Max(_run.BlockBytes, rest));
                _buffer.AsSpan(end, rest).CopyTo(next);
                _buffer = next;
                _length = rest;
                _pos = 0;
                _blockStart = 0;
            }
            else
            {
                var data = ArrayPool<byte>.Shared.Rent(end - _blockStart);
                _buffer.AsSpan(_blockStart, end - _blockStart).CopyTo(data);
                block = new Block { Data = data, Offset = 0, Length = end - _blockStart, FirstLine = first, Lines = lines };
                _blockStart = end;
            }
            _ends.Clear();
            Hand(block);
        }

        private void Hand(Block block)
        {
            _nextLine += block.Lines;
            _linesOut += block.Lines;
            _ordered.Add(block, _token);
            _work.Add(block, _token);
        }

        private void EmitMarker()
        {
            if ((long)_nextLine > BatchLimits.MaxFileLines)
                throw new BatchFileException($"the file has more than {BatchLimits.MaxFileLines:N0} lines (the most a batch file may hold): split it");
            Hand(new Block { TooLong = true, FirstLine = _nextLine, Lines = 1 });
        }

        private void Header()
        {
            // The header is line 1 of the file (or the chunk's first line); it is not a data line.
            while (true)
            {
                var span = _buffer.AsSpan(_pos, _length - _pos);
                var at = span.IndexOfAny((byte)'\r', (byte)'\n');
                if ((at < 0 && !_eof && _length == _buffer.Length) || at > MaxLineBytes || (at < 0 && span.Length > MaxLineBytes))
                    throw HeaderTooLong();
                if (at < 0 && !_eof) { Fill(); continue; }
                if (at >= 0 && span[at] == (byte)'\r' && at + 1 == span.Length && !_eof) { Fill(); continue; }
                if (span.IsEmpty && _eof) { BatchReader.CsvWidth(null); return; } // throws: the file is empty
                var content = at < 0 ? span : span[..at];
                var text = Utf8.GetString(content);
                if (text.Length > BatchLimits.MaxLineChars) throw HeaderTooLong();
                _run.Width = BatchReader.CsvWidth(text);
                var terminator = at < 0 ? 0 : span[at] == (byte)'\r' && at + 1 < span.Length && span[at + 1] == (byte)'\n' ? 2 : 1;
                _pos = _blockStart = _pos + content.Length + terminator;
                _nextLine++;
                return;
            }
        }

        private static BatchFileException HeaderTooLong() => new(
            $"line 1: the header is longer than {BatchLimits.MaxLineChars:N0} characters; expected '{string.Join(',', BatchReader.Columns[..8])}[,setting]'");

        /// <summary>Moves the current block to the start of a buffer of <paramref name="size"/> bytes (the same or larger).</summary>
        private void Compact(int size)
        {
            var next = ArrayPool<byte>.Shared.Rent(size);
            var keep = _length - _blockStart;
            _buffer.AsSpan(_blockStart, keep).CopyTo(next);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = next;
            _length = keep;
            _blockStart = 0;
            _pos = 0;
            _ends.Clear();
        }

        private void Fill()
        {
            var clock = Stopwatch.GetTimestamp();
            while (!_eof && _length < _buffer.Length)
            {
                var n = _input.Read(_buffer.AsSpan(_length));
                if (n == 0) _eof = true;
                _length += n;
            }
            _run.Timings.AddRead(Stopwatch.GetTimestamp() - clock);
        }

        public void Dispose()
        {
            if (Tail is null) ArrayPool<byte>.Shared.Return(_buffer);
        }
    }

    /// <summary>Buffered bytes, then the rest of a stream.</summary>
    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : ReadOnlyStream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;

        public override int Read(Span<byte> buffer)
        {
            if (_prefix.IsEmpty) return rest.Read(buffer);
            var n = Math.Min(buffer.Length, _prefix.Length);
            _prefix.Span[..n].CopyTo(buffer);
            _prefix = _prefix[n..];
            return n;
        }
    }

    /// <summary>A TextReader over decoded characters (no copy, no byte-order-mark handling).</summary>
    private sealed class CharArrayReader(char[] chars, int length) : TextReader
    {
        private int _pos;

        public override int Peek() => _pos < length ? chars[_pos] : -1;
        public override int Read() => _pos < length ? chars[_pos++] : -1;
        public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

        public override int Read(Span<char> buffer)
        {
            var n = Math.Min(buffer.Length, length - _pos);
            chars.AsSpan(_pos, n).CopyTo(buffer);
            _pos += n;
            return n;
        }

        public override int ReadBlock(Span<char> buffer) => Read(buffer);
        public override int ReadBlock(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));
    }
}
