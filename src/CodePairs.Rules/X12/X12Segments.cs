using System.Text;

namespace CodePairs.Rules.X12;

/// <summary>The separators an interchange declares in its ISA segment (X12.5: element at position 4, repetition
/// in ISA11, component in ISA16, the segment terminator right after ISA16). <see cref="Repetition"/> is 0 when ISA11
/// is the pre-5010 standards identifier <c>U</c> rather than a separator.</summary>
public readonly record struct X12Delimiters(byte Element, byte Component, byte Repetition, byte Segment)
{
    /// <summary>Four characters (element, component, repetition or space, segment), for a chunk plan.</summary>
    public string Encode() => Encoding.Latin1.GetString([Element, Component, Repetition == 0 ? (byte)' ' : Repetition, Segment]);

    public static X12Delimiters Decode(string text)
    {
        var b = Encoding.Latin1.GetBytes(text);
        if (b.Length != 4) throw new FormatException("X12 delimiters are four characters");
        return new X12Delimiters(b[0], b[1], b[2] == (byte)' ' ? (byte)0 : b[2], b[3]);
    }
}

/// <summary>An X12 syntax problem the reader cannot read past (no ISA, a malformed ISA, no segment terminator).</summary>
internal sealed class X12SyntaxException(int segment, string message) : Exception(message)
{
    public int Segment { get; } = segment;
}

/// <summary>
/// Cuts a stream into X12 segments, one at a time, without decoding text: the current segment is a span over the
/// read buffer, valid until the next <see cref="MoveNext"/>. Delimiters come from each ISA (a file may hold several
/// interchanges, each with its own); CR and LF between segments are skipped, so files with or without line breaks
/// read alike. Segments are numbered from 1 in file order (the ISA is segment 1), so with one segment per line the
/// segment number is the line number.
/// </summary>
internal sealed class X12Segments
{
    /// <summary>No 837 segment comes near this (the longest, HI or NTE, are a few hundred bytes); a longer run without a
    /// terminator is not X12, and is not held: the batch line cap of issue 11 (<see cref="Batch.BatchLimits.MaxLineChars"/>).</summary>
    public const int MaxSegmentBytes = Batch.BatchLimits.MaxLineChars;

    private readonly Stream _input;
    private byte[] _buffer = new byte[1 << 16];
    private int _pos, _end, _segStart, _segLength;
    private long _bufferBase;
    private bool _eof;

    /// <param name="input">The file, or a chunk of it starting at a segment.</param>
    /// <param name="delimiters">The delimiters in force at the chunk's start (null at the start of a file).</param>
    /// <param name="firstNumber">The number of the stream's first segment.</param>
    /// <param name="origin">The file offset of the stream's first byte.</param>
    public X12Segments(Stream input, X12Delimiters? delimiters, int firstNumber = 1, long origin = 0)
    {
        _input = input;
        Delimiters = delimiters ?? default;
        HasDelimiters = delimiters is not null;
        Number = firstNumber - 1;
        _bufferBase = origin;
    }

    public X12Delimiters Delimiters { get; private set; }
    public bool HasDelimiters { get; private set; }

    /// <summary>The current segment's number (file order, ISA of the file = 1).</summary>
    public int Number { get; private set; }

    /// <summary>The file offset of the current segment's first byte.</summary>
    public long Start { get; private set; }

    /// <summary>The current segment without its terminator.</summary>
    public ReadOnlySpan<byte> Segment => _buffer.AsSpan(_segStart, _segLength);

    /// <summary>Moves to the next segment; false at the end of the input.</summary>
    /// <exception cref="X12SyntaxException">The input cannot be cut into segments from here on.</exception>
    public bool MoveNext()
    {
        if (!SkipBetweenSegments()) return false;
        var number = Number + 1;
        Ensure(4);
        if (IsIsaStart()) ReadIsa(number);
        else if (!HasDelimiters) throw new X12SyntaxException(number, "the file does not start with an ISA segment: it is not an X12 file");
        else ReadToTerminator(number);
        Number = number;
        return true;
    }

    /// <summary>Skips CR/LF between segments (and a UTF-8 BOM or blanks before the first); false at the end.</summary>
    private bool SkipBetweenSegments()
    {
        while (true)
        {
            if (_pos == _end && !Fill()) return false;
            var b = _buffer[_pos];
            if (b is (byte)'\r' or (byte)'\n') { _pos++; continue; }
            if (!HasDelimiters && b is 0xEF or 0xBB or 0xBF or (byte)' ' or (byte)'\t') { _pos++; continue; }
            return true;
        }
    }

    private bool IsIsaStart()
        => _end - _pos >= 4 && _buffer[_pos] == (byte)'I' && _buffer[_pos + 1] == (byte)'S' && _buffer[_pos + 2] == (byte)'A'
           && !char.IsAsciiLetterOrDigit((char)_buffer[_pos + 3]);

    /// <summary>ISA carries the delimiters by position: split it on its own element separator into 16 elements; the
    /// byte after ISA16 is the segment terminator. Fixed widths are not insisted on (some senders pad wrongly).</summary>
    private void ReadIsa(int number)
    {
        Ensure(256);
        var span = _buffer.AsSpan(_pos, Math.Min(_end - _pos, 256));
        var element = span[3];
        var seen = 0;
        var i = 3;
        for (; i < span.Length && seen < 16; i++) if (span[i] == element) seen++;
        // i is now just past the 16th separator: ISA16 is span[i], the terminator span[i + 1].
        if (seen < 16 || i + 1 >= span.Length)
            throw new X12SyntaxException(number, "ISA: fewer than 16 elements before the segment terminator: the delimiters cannot be read");
        var component = span[i];
        var terminator = span[i + 1];
        var isa11 = Element(span[..(i + 1)], element, 11);
        var repetition = isa11.Length == 1 && !char.IsAsciiLetterOrDigit((char)isa11[0]) ? isa11[0] : (byte)0;
        if (char.IsAsciiLetterOrDigit((char)component) || char.IsAsciiLetterOrDigit((char)terminator) || terminator == (byte)' ' ||
            component == element || terminator == element || terminator == component ||
            (repetition != 0 && (repetition == element || repetition == component || repetition == terminator)))
            throw new X12SyntaxException(number, "ISA: the element, repetition, component and segment separators must be distinct non-alphanumeric characters");
        Delimiters = new X12Delimiters(element, component, repetition, terminator);
        HasDelimiters = true;
        SetSegment(_pos, i + 1);
        _pos += i + 2;
    }

    private void ReadToTerminator(int number)
    {
        var terminator = Delimiters.Segment;
        var searched = 0;
        while (true)
        {
            var at = _buffer.AsSpan(_pos + searched, _end - _pos - searched).IndexOf(terminator);
            if (at >= 0)
            {
                var length = searched + at;
                SetSegment(_pos, length);
                _pos += length + 1;
                return;
            }
            searched = _end - _pos;
            if (!Fill())
            {
                // The last segment lacks its terminator: read it anyway (a missing final '~' loses nothing).
                var length = _end - _pos;
                while (length > 0 && _buffer[_pos + length - 1] is (byte)'\r' or (byte)'\n' or (byte)' ') length--;
                SetSegment(_pos, length);
                _pos = _end;
                return;
            }
            if (_end - _pos > MaxSegmentBytes)
                throw new X12SyntaxException(number, $"no segment terminator within {MaxSegmentBytes / 1024} KiB (not X12 from here)");
        }
    }

    private void SetSegment(int start, int length)
    {
        // A terminator of LF in a CRLF file leaves the CR on the segment.
        if (Delimiters.Segment == (byte)'\n' && length > 0 && _buffer[start + length - 1] == (byte)'\r') length--;
        (_segStart, _segLength) = (start, length);
        Start = _bufferBase + start;
    }

    /// <summary>Makes at least <paramref name="count"/> unread bytes available if the input has them.</summary>
    private bool Ensure(int count)
    {
        while (_end - _pos < count) if (!Fill()) return false;
        return true;
    }

    /// <summary>Reads more input, keeping the unread bytes (moved to the front; the buffer grows for a long segment).</summary>
    private bool Fill()
    {
        if (_eof) return false;
        if (_pos > 0)
        {
            Buffer.BlockCopy(_buffer, _pos, _buffer, 0, _end - _pos);
            _bufferBase += _pos;
            _end -= _pos;
            _pos = 0;
        }
        if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        var n = _input.Read(_buffer, _end, _buffer.Length - _end);
        if (n == 0) { _eof = true; return false; }
        _end += n;
        return true;
    }

    /// <summary>Element <paramref name="n"/> (1-based) of a segment, or empty when absent.</summary>
    public static ReadOnlySpan<byte> Element(ReadOnlySpan<byte> segment, byte separator, int n)
    {
        var s = segment;
        for (var i = 0; i < n; i++)
        {
            var k = s.IndexOf(separator);
            if (k < 0) return default;
            s = s[(k + 1)..];
        }
        var end = s.IndexOf(separator);
        return end < 0 ? s : s[..end];
    }

    /// <summary>
    /// Splits once, for segments read several elements deep: <paramref name="parts"/>[i] is element (or component) i,
    /// an empty range when absent; the last slot holds the rest when there are more. Returns how many were present.
    /// </summary>
    public static int Split(ReadOnlySpan<byte> text, byte separator, Span<Range> parts)
    {
        var count = 0;
        var start = 0;
        while (count < parts.Length - 1)
        {
            var k = text[start..].IndexOf(separator);
            if (k < 0) break;
            parts[count++] = new Range(start, start + k);
            start += k + 1;
        }
        parts[count++] = new Range(start, text.Length);
        for (var i = count; i < parts.Length; i++) parts[i] = new Range(text.Length, text.Length);
        return count;
    }

    /// <summary>The segment id (the bytes before the first element separator).</summary>
    public static ReadOnlySpan<byte> Id(ReadOnlySpan<byte> segment, byte separator)
    {
        var k = segment.IndexOf(separator);
        return k < 0 ? segment : segment[..k];
    }

    /// <summary>Component <paramref name="n"/> (1-based) of a composite element, or empty when absent.</summary>
    public static ReadOnlySpan<byte> Component(ReadOnlySpan<byte> element, byte separator, int n) => Element(element, separator, n - 1);
}

/// <summary>Elements of one segment by 1-based position (empty when absent).</summary>
internal readonly ref struct X12Elements(ReadOnlySpan<byte> segment, byte separator)
{
    private readonly ReadOnlySpan<byte> _segment = segment;
    public ReadOnlySpan<byte> this[int n] => X12Segments.Element(_segment, separator, n);
}
