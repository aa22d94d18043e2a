using System.Buffers;
using System.Text;

namespace CodePairs.Rules.Cms;

/// <summary>
/// The PTP <c>.TXT</c> layout (NCCI.md): latin-1, CRLF, a 6-line preamble (copyright, "Column1/Column2 Edits", four
/// header lines), then 7 tab-separated columns: column 1 · column 2 · <c>*</c> = prior to 1996 · effective
/// <c>YYYYMMDD</c> · deletion <c>YYYYMMDD</c> or <c>*</c> · modifier indicator 0/1/9 · rationale.
/// The reader works on bytes (2.5M rows must load in about a second); the writer serves the generator and tests.
/// </summary>
public static class PtpTextFile
{
    public const int PreambleLines = 6;
    internal const string TitleLine = "Column1/Column2 Edits";
    internal const string HeaderStart = "Column 1\tColumn 2";

    public static readonly string[] Preamble =
    [
        "CPT codes, descriptions and other data only are copyright 2025 American Medical Association. All rights reserved.",
        TitleLine,
        "Column 1\tColumn 2\t*=in existence prior to 1996\tEffective Date\tDeletion Date\tModifier\tPTP Edit Rationale",
        "\t\t\t(YYYYMMDD)\t*=no data\t0=not allowed\t",
        "\t\t\t\t\t1=allowed\t",
        "\t\t\t\t\t9=not applicable\t",
    ];

    /// <summary>Reads one <c>.TXT</c> into <paramref name="sink"/> and returns its row count. On a
    /// <see cref="CmsFileException"/> the sink holds part of the file and must be discarded with its builder.</summary>
    public static int Read(Stream stream, string fileName, PtpRows sink)
    {
        var reader = new Reader(fileName, sink);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            int start = 0, end = 0;
            var eof = false;
            while (true)
            {
                var nl = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
                if (nl >= 0)
                {
                    reader.Line(buffer.AsSpan(start, nl));
                    start += nl + 1;
                    continue;
                }
                if (eof)
                {
                    if (end > start) reader.Line(buffer.AsSpan(start, end - start));
                    break;
                }
                if (start > 0)
                {
                    buffer.AsSpan(start, end - start).CopyTo(buffer);
                    end -= start;
                    start = 0;
                }
                if (end == buffer.Length)
                {
                    if (buffer.Length >= 1 << 24) throw new CmsFileException(fileName, reader.LineNumber + 1, "a line is longer than 16 MiB; this is not a PTP .TXT file");
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, end).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                var n = stream.Read(buffer, end, buffer.Length - end);
                if (n == 0) eof = true; else end += n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return reader.Finish();
    }

    private sealed class Reader(string file, PtpRows sink)
    {
        private readonly ProblemList _problems = new(file);
        private readonly List<(byte[] Bytes, int Index)> _rationales = [];
        private int _lastRationale = -1;
        private int _rows;
        public int LineNumber { get; private set; }

        public int Finish()
        {
            if (LineNumber < PreambleLines && _problems.Count == 0)
                _problems.Add(LineNumber + 1, $"the file ends after {LineNumber} lines; a PTP .TXT starts with a {PreambleLines}-line preamble");
            _problems.ThrowIfAny();
            return _rows;
        }

        public void Line(ReadOnlySpan<byte> line)
        {
            var number = ++LineNumber;
            if (line.Length > 0 && line[^1] == (byte)'\r') line = line[..^1];
            if (number <= PreambleLines)
            {
                CheckPreamble(number, line);
                return;
            }
            if (line.IsEmpty || line.IndexOfAnyExcept((byte)' ', (byte)'\t') < 0) return; // trailing blank lines
            Row(number, line);
        }

        // The whole preamble is checked: a file with one line fewer would otherwise lose its first data row.
        private void CheckPreamble(int number, ReadOnlySpan<byte> line)
        {
            if (_problems.Count > 0) return;
            switch (number)
            {
                case 1 when line.IndexOf("copyright"u8) < 0 && line.IndexOf("Copyright"u8) < 0:
                    _problems.Add(number, $"expected the AMA copyright line, found '{Text(line, 40)}': this is not a CMS PTP .TXT file, or its {PreambleLines}-line preamble is missing");
                    break;
                case 2 when !StartsWith(line, TitleLine):
                    _problems.Add(number, $"expected '{TitleLine}', found '{Text(line, 40)}': this is not a CMS PTP .TXT file, or its {PreambleLines}-line preamble is missing");
                    break;
                case 3 when !StartsWith(line, HeaderStart):
                    _problems.Add(number, $"expected the header 'Column 1<TAB>Column 2<TAB>…', found '{Text(line, 40)}'");
                    break;
                case >= 4 when line.Length > 0 && line[0] != (byte)'\t':
                    _problems.Add(number, $"expected header line {number} of {PreambleLines} (it starts with a tab), found '{Text(line, 40)}': " +
                                          $"the preamble has {number - 1} lines where CMS ships {PreambleLines}, so this row would be lost");
                    break;
            }
        }

        private void Row(int number, ReadOnlySpan<byte> line)
        {
            Span<Range> cols = stackalloc Range[8];
            var count = SplitTabs(line, cols);
            if (count != 7)
            {
                var tabs = line.Count((byte)'\t');
                _problems.Add(number, $"expected 7 tab-separated columns, found {tabs + 1}");
                return;
            }
            var before = _problems.Count;
            // Fields are trimmed of spaces (harmless padding); everything else about them is checked.
            var c1 = Code(number, 1, "column 1", line[cols[0]].Trim((byte)' '));
            var c2 = Code(number, 2, "column 2", line[cols[1]].Trim((byte)' '));
            var prior = line[cols[2]].Trim((byte)' ');
            if (!(prior.IsEmpty || (prior.Length == 1 && prior[0] == (byte)'*')))
                _problems.Add(number, $"column 3 (in existence prior to 1996): expected '*' or blank, found '{Text(prior, 20)}'");
            var effective = Date(number, "column 4 (effective date)", line[cols[3]].Trim((byte)' '), allowStar: false);
            var deletion = Date(number, "column 5 (deletion date)", line[cols[4]].Trim((byte)' '), allowStar: true);
            var ind = line[cols[5]].Trim((byte)' ');
            var indicator = ind.Length == 1 ? ind[0] switch
            {
                (byte)'0' => ModifierIndicator.NotAllowed,
                (byte)'1' => ModifierIndicator.Allowed,
                (byte)'9' => ModifierIndicator.NotApplicable,
                _ => (ModifierIndicator)255,
            } : (ModifierIndicator)255;
            if ((byte)indicator == 255)
                _problems.Add(number, $"column 6 (modifier indicator): expected 0, 1 or 9, found '{Text(ind, 20)}'");
            var rationale = line[cols[6]].Trim((byte)' ');
            if (rationale.Trim((byte)' ').IsEmpty) _problems.Add(number, "column 7 (PTP edit rationale) is empty");
            if (_problems.Count != before) return;
            // A deletion date before the effective date is CMS data: the row is kept, never in force, and counted.
            var index = Rationale(rationale);
            if (index < 0)
            {
                _problems.Add(number, $"column 7 (PTP edit rationale): more than {PtpMeta.MaxRationales} distinct rationales in one table; CMS uses a short fixed vocabulary");
                return;
            }
            if (_problems.Count > 0) return; // the file is rejected: stop feeding the sink, keep counting problems
            sink.AddChecked(c1, c2, effective, deletion, PtpMeta.Of(indicator, prior.Length == 1, index).Value);
            _rows++;
        }

        private static int SplitTabs(ReadOnlySpan<byte> line, Span<Range> cols)
        {
            var count = 0;
            var start = 0;
            while (true)
            {
                var tab = line[start..].IndexOf((byte)'\t');
                if (tab < 0) break;
                if (count < cols.Length) cols[count] = new Range(start, start + tab);
                count++;
                start += tab + 1;
            }
            if (count < cols.Length) cols[count] = new Range(start, line.Length);
            return count + 1;
        }

        private int Rationale(ReadOnlySpan<byte> text)
        {
            if (_lastRationale >= 0 && text.SequenceEqual(_rationales[_lastRationale].Bytes)) return _rationales[_lastRationale].Index;
            for (var i = 0; i < _rationales.Count; i++)
                if (text.SequenceEqual(_rationales[i].Bytes)) { _lastRationale = i; return _rationales[i].Index; }
            var s = string.Intern(Encoding.Latin1.GetString(text).Trim());
            var index = sink.RationaleIndex(s);
            if (index < 0) return -1;
            _rationales.Add((text.ToArray(), index));
            _lastRationale = _rationales.Count - 1;
            return _rationales[^1].Index;
        }

        private int Code(int number, int column, string name, ReadOnlySpan<byte> bytes)
        {
            Span<char> chars = stackalloc char[Math.Min(bytes.Length, 32)];
            Encoding.Latin1.GetChars(bytes[..chars.Length], chars);
            string? error;
            if (bytes.Length > 32) error = $"'{Text(bytes, 20)}' is not a CPT/HCPCS code";
            else if (HcpcsCode.TryParse(chars, out var code, out error)) return code.Packed;
            _problems.Add(number, $"{name}: {error}");
            _ = column;
            return 0;
        }

        private ushort Date(int number, string name, ReadOnlySpan<byte> bytes, bool allowStar)
        {
            if (allowStar && bytes.Length == 1 && bytes[0] == (byte)'*') return NcciDate.Open;
            if (TryYmd(bytes, out var date))
            {
                if (NcciDate.IsSupported(date)) return NcciDate.ToDay(date);
                _problems.Add(number, $"{name}: {Text(bytes, 8)} is outside the supported range {NcciDate.MinDate:yyyyMMdd}-{NcciDate.MaxDate:yyyyMMdd}");
                return 0;
            }
            _problems.Add(number, $"{name}: '{Text(bytes, 20)}' is not a date YYYYMMDD{(allowStar ? " or '*'" : "")}");
            return 0;
        }
    }

    internal static bool TryYmd(ReadOnlySpan<byte> s, out DateOnly date)
    {
        date = default;
        if (s.Length != 8) return false;
        var v = 0;
        foreach (var b in s)
        {
            var d = b - (byte)'0';
            if ((uint)d > 9) return false;
            v = v * 10 + d;
        }
        int y = v / 10000, m = v / 100 % 100, day = v % 100;
        if (y < 1 || m is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(y, m)) return false;
        date = new DateOnly(y, m, day);
        return true;
    }

    private static bool StartsWith(ReadOnlySpan<byte> line, string prefix)
    {
        if (line.Length < prefix.Length) return false;
        for (var i = 0; i < prefix.Length; i++)
            if (char.ToLowerInvariant((char)line[i]) != char.ToLowerInvariant(prefix[i])) return false;
        return true;
    }

    internal static string Text(ReadOnlySpan<byte> bytes, int max)
    {
        var s = Encoding.Latin1.GetString(bytes[..Math.Min(bytes.Length, max)]);
        var clean = string.Create(s.Length, s, static (span, src) =>
        {
            for (var i = 0; i < src.Length; i++) span[i] = src[i] == '\t' ? '→' : char.IsControl(src[i]) ? '?' : src[i];
        });
        return bytes.Length > max ? clean + "…" : clean;
    }

    /// <summary>Writes the preamble and rows in the exact CMS layout (latin-1, CRLF).</summary>
    public sealed class Writer : IDisposable
    {
        private readonly Stream _stream;
        private readonly byte[] _buffer = new byte[1 << 16];
        private int _used;

        public Writer(Stream stream)
        {
            _stream = stream;
            foreach (var line in Preamble) Raw(line);
        }

        public int Rows { get; private set; }

        public void Write(in PtpRow row)
        {
            if (_used > _buffer.Length - 512) Flush();
            var span = _buffer.AsSpan(_used);
            var n = 0;
            n += Code(span[n..], row.Column1);
            span[n++] = (byte)'\t';
            n += Code(span[n..], row.Column2);
            span[n++] = (byte)'\t';
            if (row.PriorTo1996) span[n++] = (byte)'*';
            span[n++] = (byte)'\t';
            n += Ymd(span[n..], row.Effective);
            span[n++] = (byte)'\t';
            if (row.Deletion is { } d) n += Ymd(span[n..], d); else span[n++] = (byte)'*';
            span[n++] = (byte)'\t';
            span[n++] = (byte)('0' + (int)row.Indicator);
            span[n++] = (byte)'\t';
            n += Encoding.Latin1.GetBytes(row.Rationale, span[n..]);
            span[n++] = (byte)'\r';
            span[n++] = (byte)'\n';
            _used += n;
            Rows++;
        }

        // Codes are ASCII: format to chars, then narrow.
        private static int Code(Span<byte> span, HcpcsCode code)
        {
            Span<char> chars = stackalloc char[5];
            code.TryFormat(chars, out _, default, null);
            for (var i = 0; i < 5; i++) span[i] = (byte)chars[i];
            return 5;
        }

        private static int Ymd(Span<byte> span, DateOnly date)
        {
            var v = date.Year * 10000 + date.Month * 100 + date.Day;
            for (var i = 7; i >= 0; i--) { span[i] = (byte)('0' + v % 10); v /= 10; }
            return 8;
        }

        private void Raw(string line)
        {
            var bytes = Encoding.Latin1.GetBytes(line + "\r\n");
            if (_used + bytes.Length > _buffer.Length) Flush();
            bytes.CopyTo(_buffer, _used);
            _used += bytes.Length;
        }

        public void Flush()
        {
            _stream.Write(_buffer, 0, _used);
            _used = 0;
        }

        public void Dispose() => Flush();
    }
}
