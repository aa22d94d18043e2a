using System.Text;
using System.Text.Json;

namespace CodePairs.Rules.Batch;

public enum BatchFormat { Csv, JsonLines }

/// <summary>What the batch reader yields: a claim ready to validate, or a rejected input line.</summary>
public abstract record BatchItem;

/// <summary>A parsed claim. <see cref="InputLines"/>[k] is the 1-based file line of claim line k+1.</summary>
public sealed record BatchClaim(Claim Claim, IReadOnlyList<int> InputLines) : BatchItem;

/// <summary>An input line that was not validated, with its 1-based line number and the reason.</summary>
public sealed record BatchRejection(int Line, string? ClaimId, string Reason) : BatchItem;

/// <summary>The file as a whole cannot be read (no header, wrong header). Line-level problems are never thrown.</summary>
public sealed class BatchFileException(string message) : Exception(message);

/// <summary>
/// Reading one slice of a larger file (a chunk): the slice starts at file line <see cref="FirstLineNumber"/> and, for a
/// CSV slice that does not hold the header, <see cref="CsvWidth"/> says how many columns the header declared (8 or 9).
/// </summary>
public sealed record BatchSlice(int FirstLineNumber, int? CsvWidth);

/// <summary>
/// Streams a batch file one claim at a time. CSV (NCCI.md): header
/// <c>claim_id,date_of_service,code,mod1,mod2,mod3,mod4,units[,setting]</c>, one row per service line, consecutive rows
/// with the same claim_id form one claim. JSON Lines: one claim per line in the HTTP JSON shape. Every data line is
/// accounted for: it ends up in exactly one <see cref="BatchClaim"/> or one <see cref="BatchRejection"/>. BOM, CRLF or
/// LF, quoted fields with commas and doubled quotes are handled; a line that cannot be parsed is rejected, never thrown.
/// </summary>
public sealed class BatchReader
{
    public static readonly string[] Columns = ["claim_id", "date_of_service", "code", "mod1", "mod2", "mod3", "mod4", "units", "setting"];

    private readonly TextReader _text;
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
        _text = new StreamReader(input, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
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

    /// <summary>Data lines read so far (the CSV header is not a data line).</summary>
    public int LinesRead { get; private set; }

    public static BatchFormat FormatOf(string fileName)
        => fileName.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase)
            ? BatchFormat.JsonLines : BatchFormat.Csv;

    public IEnumerable<BatchItem> Read() => _format == BatchFormat.Csv ? ReadCsv() : ReadJsonLines();

    private IEnumerable<BatchItem> ReadJsonLines()
    {
        string? line;
        while ((line = _text.ReadLine()) is not null)
        {
            var number = ++_lineNumber;
            LinesRead++;
            if (string.IsNullOrWhiteSpace(line)) { yield return new BatchRejection(number, null, "empty line"); continue; }
            ClaimInput? input = null;
            string? error = null;
            try { input = JsonSerializer.Deserialize<ClaimInput>(line); }
            catch (JsonException e) { error = $"not a JSON claim: {e.Message}"; }
            if (input is null) { yield return new BatchRejection(number, null, error ?? "not a JSON claim"); continue; }
            var (claim, errors) = ClaimParser.Parse(input, _defaultSetting);
            if (claim is null) yield return new BatchRejection(number, Safe(input.ClaimId), string.Join("; ", errors));
            else yield return new BatchClaim(claim, Enumerable.Repeat(number, claim.Lines.Count).ToArray());
        }
    }

    private IEnumerable<BatchItem> ReadCsv()
    {
        int width;
        if (_slice is { CsvWidth: { } w }) width = w;
        else
        {
            width = CsvWidth(_text.ReadLine());
            _lineNumber = (_slice?.FirstLineNumber ?? 1);
        }

        var pending = new List<(int Line, string[] Fields)>();
        string? pendingId = null;
        string? line;
        while (true)
        {
            line = _text.ReadLine();
            string[]? fields = null;
            string? reason = null;
            var number = 0;
            if (line is not null)
            {
                number = ++_lineNumber;
                LinesRead++;
                if (line.Length == 0 || string.IsNullOrWhiteSpace(line)) reason = "empty line";
                else
                {
                    fields = Split(line, out reason);
                    if (fields is not null && fields.Length != width)
                    {
                        reason = $"expected {width} comma-separated columns, found {fields.Length}";
                        fields = null;
                    }
                    else if (fields is not null && fields[0].Trim().Length == 0)
                    {
                        reason = "claim_id is empty";
                        fields = null;
                    }
                }
            }
            // A claim ends at a different claim_id, at a line that cannot be split, or at the end of the file.
            var id = fields?[0].Trim();
            if (pending.Count > 0 && (line is null || fields is null || id != pendingId))
            {
                foreach (var item in Claim(pendingId!, pending, width)) yield return item;
                pending.Clear();
            }
            if (line is null) yield break;
            if (fields is null) { yield return new BatchRejection(number, null, reason!); continue; }
            pendingId = id;
            pending.Add((number, fields));
        }
    }

    private IEnumerable<BatchItem> Claim(string claimId, List<(int Line, string[] Fields)> rows, int width)
    {
        var rejected = new Dictionary<int, string>();
        string? setting = null;
        var input = new ClaimInput { ClaimId = claimId, Lines = new List<ClaimLineInput>(rows.Count) };
        for (var k = 0; k < rows.Count; k++)
        {
            var f = rows[k].Fields;
            var line = new ClaimLineInput
            {
                DateOfService = f[1].Trim(),
                Code = f[2].Trim(),
                Modifiers = [f[3].Trim(), f[4].Trim(), f[5].Trim(), f[6].Trim()],
            };
            var units = f[7].Trim();
            if (units.Length == 0) rejected[k] = "units: is empty";
            else if (!int.TryParse(units, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var u))
                rejected[k] = $"units: '{Clip(units, 20)}' is not a whole number";
            else line.Units = u;
            if (line.DateOfService.Length == 0) rejected[k] = "date_of_service: is empty";
            var s = width == 9 ? f[8].Trim() : "";
            if (s.Length > 0)
            {
                if (setting is null) setting = s;
                else if (!s.Equals(setting, StringComparison.OrdinalIgnoreCase)) rejected[k] = $"setting: '{Clip(s, 20)}' differs from the claim's first line ('{setting}')";
            }
            input.Lines.Add(line);
        }
        input.Setting = setting;
        if (rejected.Count == 0)
        {
            var (claim, errors) = ClaimParser.Parse(input, _defaultSetting);
            if (claim is not null)
            {
                yield return new BatchClaim(claim, rows.Select(r => r.Line).ToArray());
                yield break;
            }
            foreach (var e in errors)
            {
                if (e.Line is { } l) rejected[l - 1] = rejected.TryGetValue(l - 1, out var r) ? $"{r}; {e.Field}: {e.Reason}" : $"{e.Field}: {e.Reason}";
                else for (var k = 0; k < rows.Count; k++) rejected[k] = rejected.TryGetValue(k, out var r) ? $"{r}; {e.Field}: {e.Reason}" : $"{e.Field}: {e.Reason}";
            }
        }
        var firstBad = rows[rejected.Keys.Min()].Line;
        for (var k = 0; k < rows.Count; k++)
            yield return new BatchRejection(rows[k].Line, Safe(claimId),
                rejected.TryGetValue(k, out var reason) ? reason : $"not checked: line {firstBad} of the same claim was rejected");
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
