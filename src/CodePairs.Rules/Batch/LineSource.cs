namespace CodePairs.Rules.Batch;

/// <summary>
/// Lines of a text, split exactly as <see cref="TextReader.ReadLine"/> splits them (CR, LF or CRLF), but never held
/// past <c>maxChars</c>: a longer line is skipped to its end in fixed buffers and reported as too long (null text),
/// so a 1 GiB line costs no more memory than a short one.
/// </summary>
internal sealed class LineSource(TextReader text, int maxChars = BatchLimits.MaxLineChars)
{
    private readonly char[] _buffer = new char[1 << 16];
    private char[] _line = new char[1024];
    private int _pos, _len;

    /// <summary>The next line: false at the end; <paramref name="line"/> is null when the line was longer than the cap.</summary>
    public bool Next(out string? line)
    {
        line = null;
        var length = 0;
        var tooLong = false;
        var any = false;
        while (true)
        {
            if (_pos == _len && !Fill())
            {
                if (!any) return false;
                break; // the last line had no terminator
            }
            any = true;
            var span = _buffer.AsSpan(_pos, _len - _pos);
            var at = span.IndexOfAny('\r', '\n');
            var take = at < 0 ? span.Length : at;
            if (at >= 0 && length == 0 && take <= maxChars)
            {
                line = new string(span[..take]); // the common case: the whole line is in the buffer
                _pos += take;
                SkipTerminator();
                return true;
            }
            if (!tooLong && length + take > maxChars) tooLong = true;
            if (!tooLong) Append(span[..take], ref length);
            _pos += take;
            if (at < 0) continue;
            SkipTerminator();
            break;
        }
        line = tooLong ? null : new string(_line, 0, length);
        return true;
    }

    private void Append(ReadOnlySpan<char> part, ref int length)
    {
        if (length + part.Length > _line.Length) Array.Resize(ref _line, Math.Min(maxChars, Math.Max(_line.Length * 2, length + part.Length)));
        part.CopyTo(_line.AsSpan(length));
        length += part.Length;
    }

    private void SkipTerminator()
    {
        var c = _buffer[_pos++];
        if (c != '\r') return;
        if (_pos == _len && !Fill()) return;
        if (_buffer[_pos] == '\n') _pos++;
    }

    private bool Fill()
    {
        _pos = 0;
        _len = text.Read(_buffer, 0, _buffer.Length);
        return _len > 0;
    }
}
