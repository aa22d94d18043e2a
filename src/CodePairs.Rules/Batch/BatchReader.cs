using System.Text;
using System.Text.Json;
using CodePairs.Rules.X12;

namespace CodePairs.Rules.Batch;

/// <summary>
/// Streams a batch file one claim at a time. CSV (NCCI.md): header
/// <c>claim_id,date_of_service,code,mod1,mod2,mod3,mod4,units[,setting]</c>, one row per service line, consecutive rows
/// with the same claim_id form one claim. JSON Lines: one claim per line in the HTTP JSON shape. Every data line is
/// accounted for: it ends up in exactly one <see cref="BatchClaim"/> or one <see cref="BatchRejection"/>. BOM, CRLF or
/// LF, quoted fields with commas and doubled quotes are handled; a line that cannot be parsed is rejected, never thrown.
/// X12 837P/837I files are read by <see cref="X12ClaimReader"/>, claim by claim (every CLM is one claim in).
/// </summary>
public sealed class BatchReader
{
    public static readonly string[] Columns = ["claim_id", "date_of_service", "code", "mod1", "mod2", "mod3", "mod4", "units", "setting"];

    private readonly LineSource _lines;
    private readonly X12ClaimReader? _x12;
    private readonly BatchFormat _format;
    private readonly Setting _defaultSetting;
    private readonly BatchSlice? _slice;
    private int _lineNumber;

    public BatchReader(Stream input, BatchFormat format, Setting defaultSetting = Setting.Practitioner)
        : this(input, format, defaultSetting, null)
    {
    }

    /// <summary>Reads a slice of a file: line numbers start at the slice's first line; a headerless CSV slice uses the width given.</summary>
    public BatchReader(Stream input, BatchFormat format, Setting defaultSetting, BatchSlice? slice)
    {
        if (format == BatchFormat.X12)
        {
            // An 837 is read as bytes by its own reader, bounded by its segment cap; its first segment must be ISA.
            _x12 = new X12ClaimReader(input, slice);
            _lines = new LineSource(TextReader.Null);
        }
        else
        {
            // Binary data, UTF-16 and archives fail here, the same way for a whole file and for each chunk of it.
            var content = new BatchContentStream(input, startOfFile: slice is null || slice.FirstLineNumber == 1);
            _lines = new LineSource(new StreamReader(content, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16));
        }
        _format = format;
        _defaultSetting = defaultSetting;
        _slice = slice;
        if (slice is not null) _lineNumber = slice.FirstLineNumber - 1;
    }

    /// <summary>The column count a CSV header declares (8, or 9 with <c>setting</c>); throws <see cref="BatchFileException"/> otherwise.</summary>
    public static int CsvWidth(string? header)
    {
        if (header is null) throw new BatchFileException("line 1: the file is empty; a header row is required: " + string.Join(',', Columns[..8]) + "[,setting]");
        var names = Split(header, out _)?.Select(n => n.Trim().ToLowerInvariant()).ToArray();
        var hasSetting = names is { Length: 9 } && names.AsSpan().SequenceEqual(Columns);
        if (names is null || !(hasSetting || names.AsSpan().SequenceEqual(Columns.AsSpan(0, 8))))
            throw new BatchFileException($"line 1: expected the header '{string.Join(',', Columns[..8])}[,setting]', found '{Clip(header, 80)}'");
        return hasSetting ? 9 : 8;
    }

    /// <summary>
    /// The claim id a CSV data line would group by, or null when the line cannot carry one (empty, unbalanced quotes,
    /// empty id). A file may be cut between two lines whose ids differ (or either is null) without changing any claim.
    /// </summary>
    public static string? ClaimIdOf(string line)
    {
        if (string.IsNullOrWhiteSpace(line)) return null;
        var comma = line.IndexOf(',');
        var quote = line.IndexOf('"');
        if (quote < 0 || (comma >= 0 && comma < quote))
        {
            var id = (comma < 0 ? line : line[..comma]).Trim();
            return id.Length == 0 ? null : id;
        }
        var fields = Split(line, out _);
        var first = fields?[0].Trim();
        return string.IsNullOrEmpty(first) ? null : first;
    }

    /// <summary>Data lines read so far (the CSV header is not a data line); for an 837, claims (CLM segments) read so far.</summary>
    public int LinesRead
    {
        get => _x12?.ClaimsRead ?? _linesRead;
        private set => _linesRead = value;
    }

    private int _linesRead;

    /// <summary>Service lines read so far: an 837's loops 2400; for CSV and JSON Lines 0 (their unit is the line).</summary>
    public int ServiceLinesRead => _x12?.ServiceLinesRead ?? 0;

    public BatchFormat Format => _format;

    /// <summary>The format a file name says: .jsonl/.ndjson JSON Lines; .837/.x12/.edi an 837; anything else CSV (a .txt
    /// is an 837 only when it starts with ISA: use the overload with the file's first bytes).</summary>
    public static BatchFormat FormatOf(string fileName)
        => fileName.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase)
            ? BatchFormat.JsonLines : X12Files.HasX12Extension(fileName) ? BatchFormat.X12 : BatchFormat.Csv;

    /// <summary>The format of a file from its name and first bytes (<see cref="X12Files.SniffBytes"/> of them suffice).</summary>
    public static BatchFormat FormatOf(string fileName, ReadOnlySpan<byte> head)
        => X12Files.MaySniff(fileName) && X12Files.StartsWithIsa(head) ? BatchFormat.X12 : FormatOf(fileName);

    public IEnumerable<BatchItem> Read() => _format switch
    {
        BatchFormat.Csv => ReadCsv(),
        BatchFormat.JsonLines => ReadJsonLines(),
        _ => _x12!.Read(),
    };

    private IEnumerable<BatchItem> ReadJsonLines()
    {
        while (NextLine(out var line, out var number)) yield return JsonLine(number, line, _defaultSetting);
    }

    /// <summary>One JSON line (null: past the length cap) as the reference path reads it: serializer + <see cref="ClaimParser"/>.</summary>
    internal static BatchItem JsonLine(int number, string? line, Setting defaultSetting)
    {
        if (line is null) return TooLong(number, null);
        if (string.IsNullOrWhiteSpace(line)) return new BatchRejection(number, null, "empty line");
        ClaimInput? input = null;
        string? error = null;
        try { input = JsonSerializer.Deserialize<ClaimInput>(line); }
        catch (JsonException e) { error = $"not a JSON claim: {e.Message}"; }
        if (input is null) return new BatchRejection(number, null, error ?? "not a JSON claim");
        var (claim, errors) = ClaimParser.Parse(input, defaultSetting);
        if (claim is null) return new BatchRejection(number, Safe(input.ClaimId), string.Join("; ", errors));
        return new BatchClaim(claim, Enumerable.Repeat(number, claim.Lines.Count).ToArray());
    }

    private IEnumerable<BatchItem> ReadCsv()
    {
        int width;
        if (_slice is { CsvWidth: { } w }) width = w;
        else
        {
            string? header = null;
            if (_lines.Next(out header) && header is null)
                throw new BatchFileException($"line 1: the header is longer than {BatchLimits.MaxLineChars:N0} characters; expected '{string.Join(',', Columns[..8])}[,setting]'");
            width = CsvWidth(header);
            _lineNumber = (_slice?.FirstLineNumber ?? 1);
        }

        var claims = new CsvClaims(width, _defaultSetting);
        var items = new List<BatchItem>();
        while (true)
        {
            var more = NextLine(out var line, out var number);
            if (more) claims.Add(number, line, items);
            else claims.End(items);
            foreach (var item in items) yield return item;
            items.Clear();
            if (!more) yield break;
        }
    }

    /// <summary>
    /// CSV data lines to claims: consecutive lines with the same claim_id form one claim, a claim past
    /// <see cref="ClaimLimits.MaxLines"/> lines is rejected at once (and every further line of it), a line that cannot be
    /// split is rejected. Fed line by line (null text: past the length cap); both batch engines group through it.
    /// </summary>
    internal sealed class CsvClaims(int width, Setting defaultSetting)
    {
        private readonly List<Row> _pending = new(ClaimLimits.MaxLines);
        private string? _pendingId;
        private string? _overflowId; // a claim cut off at the line limit: its further lines are rejected as they come
        private string? _lastDateText;
        private DateOnly _lastDate;

        public void Add(int number, string? line, List<BatchItem> output) => Step(true, number, line, output);

        /// <summary>The end of the lines (of the file, or of a block cut where no claim can continue).</summary>
        public void End(List<BatchItem> output) => Step(false, 0, null, output);

        private void Step(bool more, int number, string? line, List<BatchItem> output)
        {
            Row row = default;
            var ok = false;
            string? reason = null;
            if (more)
            {
                if (line is null) reason = TooLongReason;
                else if (line.Length == 0 || string.IsNullOrWhiteSpace(line)) reason = "empty line";
                else
                {
                    string[]? quoted = null;
                    var count = 0;
                    if (line.Contains('"'))
                    {
                        quoted = Split(line, out reason);
                        count = quoted?.Length ?? 0;
                    }
                    else count = line.AsSpan().Count(',') + 1;
                    if (reason is null)
                    {
                        row = new Row(number, line, quoted);
                        if (count != width) reason = $"expected {width} comma-separated columns, found {count}";
                        else if (row.Field(0).IsEmpty) reason = "claim_id is empty";
                        else ok = true;
                    }
                }
            }
            // A claim ends at a different claim_id, at a line that cannot be split, or at the end of the file.
            var sameClaim = ok && _pendingId is not null && row.Field(0).SequenceEqual(_pendingId);
            if (ok && _overflowId is not null && row.Field(0).SequenceEqual(_overflowId))
            {
                output.Add(new BatchRejection(number, Safe(_overflowId), ClaimTooLongReason));
                return;
            }
            _overflowId = null;
            if (sameClaim && _pending.Count == ClaimLimits.MaxLines)
            {
                // One line past the limit: the claim is rejected now, its lines so far and every further one, unheld.
                foreach (var held in _pending) output.Add(new BatchRejection(held.Line, Safe(_pendingId), ClaimTooLongReason));
                _pending.Clear();
                _overflowId = _pendingId;
                _pendingId = null;
                output.Add(new BatchRejection(number, Safe(_overflowId), ClaimTooLongReason));
                return;
            }
            if (_pending.Count > 0 && !sameClaim)
            {
                Claim(_pendingId!, _pending, output);
                _pending.Clear();
            }
            if (!more) return;
            if (!ok) { output.Add(new BatchRejection(number, null, reason!)); return; }
            if (!sameClaim) _pendingId = row.Field(0).ToString();
            _pending.Add(row);
        }

        private void Claim(string claimId, List<Row> rows, List<BatchItem> output)
        {
            // Parsed directly from the fields (no intermediate ClaimInput): this is the hot path of a batch run. The
            // checks and messages are those of ClaimParser, naming the CSV column.
            Dictionary<int, string>? rejected = null;
            void Reject(int k, string reason)
            {
                rejected ??= [];
                rejected[k] = rejected.TryGetValue(k, out var r) ? $"{r}; {reason}" : reason;
            }
            string? setting = null;
            var lines = new ClaimLine[rows.Count];
            var claimDate = DateOnly.MaxValue;
            var mods = new Modifier[Modifier.MaxPerLine];
            for (var k = 0; k < rows.Count; k++)
            {
                var f = rows[k];
                var dateSpan = f.Field(1);
                DateOnly date = default;
                if (dateSpan.IsEmpty) Reject(k, "date_of_service: is empty");
                else if (_lastDateText is not null && dateSpan.SequenceEqual(_lastDateText)) date = _lastDate; // lines of a file share few dates
                else if (!ClaimParser.TryParseDate(dateSpan.ToString(), out date, out var dateError)) Reject(k, $"date_of_service: {dateError}");
                else (_lastDateText, _lastDate) = (dateSpan.ToString(), date);
                if (date != default && date < claimDate) claimDate = date;
                if (!HcpcsCode.TryParse(f.Field(2), out var code, out var codeError)) Reject(k, $"code: {codeError}");
                var count = 0;
                for (var m = 0; m < 4; m++)
                {
                    var text = f.Field(3 + m);
                    if (text.IsEmpty) continue;
                    if (Modifier.TryParse(text, out var modifier, out var modError)) mods[count++] = modifier;
                    else Reject(k, $"mod{m + 1}: {modError}");
                }
                var unitsText = f.Field(7);
                var units = 0;
                if (unitsText.IsEmpty) Reject(k, "units: is empty");
                else if (!int.TryParse(unitsText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out units))
                    Reject(k, $"units: '{Clip(unitsText.ToString(), 20)}' is not a whole number");
                else if (units < 1 || units > ClaimLimits.MaxUnits) Reject(k, $"units: must be a whole number from 1 to {ClaimLimits.MaxUnits}; got {units}");
                var s = width == 9 ? f.Field(8).ToString() : "";
                if (s.Length > 0)
                {
                    if (!SettingNames.TryParse(s, out _)) Reject(k, $"setting: '{Clip(s, 20)}' is not a setting: use 'practitioner' or 'hospital'");
                    else if (setting is null) setting = s;
                    else if (!s.Equals(setting, StringComparison.OrdinalIgnoreCase)) Reject(k, $"setting: '{Clip(s, 20)}' differs from the claim's first line ('{setting}')");
                }
                if (rejected is null || !rejected.ContainsKey(k)) lines[k] = new ClaimLine(code, (count == 0 ? [] : mods.AsSpan(0, count).ToArray()), units, date);
            }
            if (rejected is null && claimId.Length > ClaimLimits.MaxClaimIdLength)
                for (var k = 0; k < rows.Count; k++) Reject(k, $"claim_id: must be at most {ClaimLimits.MaxClaimIdLength} characters");
            if (rejected is null)
            {
                var chosen = Setting.Practitioner;
                if (setting is null || !SettingNames.TryParse(setting, out chosen)) chosen = defaultSetting;
                var inputLines = new int[rows.Count];
                for (var k = 0; k < rows.Count; k++) inputLines[k] = rows[k].Line;
                output.Add(new BatchClaim(new Claim(chosen, claimDate, lines, claimId), inputLines));
                return;
            }
            var firstBad = rows[rejected.Keys.Min()].Line;
            for (var k = 0; k < rows.Count; k++)
                output.Add(new BatchRejection(rows[k].Line, Safe(claimId),
                    rejected.TryGetValue(k, out var reason) ? reason : $"not checked: line {firstBad} of the same claim was rejected"));
        }
    }

    /// <summary>One CSV data line: fields are sliced from the raw text on demand (quoted lines are split once).</summary>
    private readonly record struct Row(int Line, string Raw, string[]? Quoted)
    {
        public ReadOnlySpan<char> Field(int index)
        {
            if (Quoted is not null) return Quoted[index].AsSpan().Trim();
            var span = Raw.AsSpan();
            for (var i = 0; i < index; i++) span = span[(span.IndexOf(',') + 1)..];
            var end = span.IndexOf(',');
            return (end < 0 ? span : span[..end]).Trim();
        }
    }

    internal static readonly string TooLongReason = $"the line is longer than {BatchLimits.MaxLineChars:N0} characters; it was not read";

    private static readonly string ClaimTooLongReason =
        $"the claim has more than {ClaimLimits.MaxLines} lines; a claim may have at most {ClaimLimits.MaxLines}: none of its lines was checked";

    private static BatchRejection TooLong(int number, string? claimId) => new(number, claimId, TooLongReason);

    /// <summary>The next line and its file line number; a line past the cap comes back as null (skipped, never held).</summary>
    private bool NextLine(out string? line, out int number)
    {
        number = 0;
        if (!_lines.Next(out line))
        {
            if (LinesRead == 0 && _format == BatchFormat.JsonLines && _slice is null)
                throw new BatchFileException("the file is empty: it holds no JSON line");
            return false;
        }
        if (_lineNumber >= BatchLimits.MaxFileLines)
            throw new BatchFileException($"the file has more than {BatchLimits.MaxFileLines:N0} lines (the most a batch file may hold): split it");
        number = ++_lineNumber;
        LinesRead++;
        return true;
    }

    /// <summary>Splits one CSV line (RFC 4180 quoting within the line). Null with a reason when a quote is unbalanced.</summary>
    internal static string[]? Split(string line, out string? reason)
    {
        reason = null;
        if (line.IndexOf('"') < 0) return line.Split(',');
        var fields = new List<string>();
        var sb = new StringBuilder();
        var i = 0;
        while (true)
        {
            sb.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length) { reason = "a quoted field is not closed on this line"; return null; }
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"') { sb.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    sb.Append(line[i++]);
                }
                if (i < line.Length && line[i] != ',') { reason = "unexpected text after a closing quote"; return null; }
            }
            else
            {
                while (i < line.Length && line[i] != ',') sb.Append(line[i++]);
            }
            fields.Add(sb.ToString());
            if (i >= line.Length) break;
            i++; // the comma
        }
        return fields.ToArray();
    }

    private static string? Safe(string? claimId) => claimId is { Length: > ClaimLimits.MaxClaimIdLength } ? claimId[..ClaimLimits.MaxClaimIdLength] : claimId;

    private static string Clip(string s, int max) => s.Length > max ? s[..max] + "…" : s;
}
