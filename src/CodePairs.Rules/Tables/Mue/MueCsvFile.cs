using System.Globalization;
using System.Text;
using Sylvan.Data.Csv;

namespace CodePairs.Rules.Cms;

/// <summary>
/// The MUE <c>.csv</c> layout (NCCI.md): a first record that is one quoted multi-line AMA notice, a header record
/// <c>"HCPCS/\nCPT Code","&lt;table&gt; MUE Values","MUE Adjudication Indicator","MUE Rationale"</c> whose second cell names
/// the table, then <c>code,value,"MAI text","rationale"</c>. No dates in rows: the effective date is in the file name.
/// Read with Sylvan; line numbers in errors are physical lines (quoted cells may span lines).
/// </summary>
public static class MueCsvFile
{
    public static readonly string Notice =
        "CPT codes, descriptions and other data only are copyright 2025 American Medical Association. All Rights Reserved.\r\n" +
        "Applicable FARS/HHSARS apply.\r\n" +
        "Fee schedules, relative value units, conversion factors and/or related components are not assigned by the AMA.";

    /// <summary>The longest record read (the AMA notice is about 1 KB): a longer one means the file is not an MUE table.</summary>
    public const int MaxRecordChars = 1 << 20;

    private static CsvDataReaderOptions Options => new() { HasHeaders = false, Delimiter = ',', BufferSize = 1 << 16, MaxBufferSize = MaxRecordChars };

    /// <summary>Reads one MUE file of the given table. Throws <see cref="CmsFileException"/> naming file, line and reason.</summary>
    public static List<MueRow> Read(Stream stream, string fileName, TableId table)
    {
        var line = 1;
        try
        {
            return ReadRows(stream, fileName, table, ref line);
        }
        catch (CsvFormatException e)
        {
            throw new CmsFileException(fileName, line, e is CsvRecordTooLargeException
                ? $"a record is longer than {MaxRecordChars:N0} characters: this is not a CMS MUE file"
                : $"not readable as CSV ({e.Message}); a quote may be unbalanced");
        }
    }

    /// <summary>The MUE table whose header row is among the first records of the stream, or null (for a file whose name
    /// does not say what it is).</summary>
    public static TableId? Sniff(Stream stream)
    {
        try
        {
            using var text = new StreamReader(stream, Encoding.Latin1, detectEncodingFromByteOrderMarks: true);
            using var csv = CsvDataReader.Create(text, Options);
            for (var record = 0; record < 3 && csv.Read(); record++)
            {
                if (csv.RowFieldCount < 2 || !csv.GetString(0).StartsWith("HCPCS", StringComparison.OrdinalIgnoreCase)) continue;
                var named = csv.GetString(1).Trim();
                foreach (var table in (TableId[])[TableId.MuePractitioner, TableId.MueHospital, TableId.MueDme])
                    if (named.Equals(CmsNames.MueValueHeader(table), StringComparison.OrdinalIgnoreCase)) return table;
            }
            return null;
        }
        catch (Exception e) when (e is CsvFormatException or IOException or DecoderFallbackException)
        {
            return null;
        }
    }

    private static List<MueRow> ReadRows(Stream stream, string fileName, TableId table, ref int line)
    {
        var problems = new ProblemList(fileName);
        using var text = new StreamReader(stream, Encoding.Latin1, detectEncodingFromByteOrderMarks: true);
        using var csv = CsvDataReader.Create(text, Options);
        var rows = new List<MueRow>();
        var seen = new Dictionary<int, int>();
        var rationales = new Dictionary<string, string>(StringComparer.Ordinal);
        var headerFound = false;
        var record = 0;
        while (csv.Read())
        {
            record++;
            var number = line;
            var fields = csv.RowFieldCount;
            var embedded = 0;
            for (var i = 0; i < fields; i++) embedded += csv.GetFieldSpan(i).Count('\n');
            line += 1 + embedded;
            if (!headerFound)
            {
                var first = fields > 0 ? csv.GetString(0) : "";
                if (first.StartsWith("HCPCS", StringComparison.OrdinalIgnoreCase))
                {
                    headerFound = true;
                    var expected = CmsNames.MueValueHeader(table);
                    var named = fields > 1 ? csv.GetString(1).Trim() : "";
                    if (fields != 4)
                        throw new CmsFileException(fileName, number, $"the header row has {fields} columns; expected 4 (HCPCS/CPT Code, {expected}, MUE Adjudication Indicator, MUE Rationale)");
                    if (!named.Equals(expected, StringComparison.OrdinalIgnoreCase))
                        throw new CmsFileException(fileName, number, $"the header names '{(named.Length > 80 ? named[..80] + "…" : named)}', but the file name says the {table.Name()} table ('{expected}')");
                    continue;
                }
                if (record >= 3) throw new CmsFileException(fileName, number, "no 'HCPCS/CPT Code' header row after the notice: this is not a CMS MUE file");
                continue;
            }
            if (fields == 1 && csv.GetFieldSpan(0).Trim().IsEmpty) continue; // blank line
            if (fields != 4)
            {
                problems.Add(number, $"expected 4 comma-separated columns, found {fields}");
                continue;
            }
            var before = problems.Count;
            var codeText = csv.GetFieldSpan(0).Trim();
            if (!HcpcsCode.TryParse(codeText, out var code, out var codeError)) problems.Add(number, $"column 1 (HCPCS/CPT code): {codeError}");
            var valueText = csv.GetFieldSpan(1).Trim();
            if (!int.TryParse(valueText, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > ClaimLimits.MaxUnits)
                problems.Add(number, $"column 2 (MUE value): '{Clip(valueText)}' is not a whole number from 0 to {ClaimLimits.MaxUnits}");
            var maiText = csv.GetFieldSpan(2).Trim();
            var mai = ParseAdjudication(maiText);
            if (mai == 0)
                problems.Add(number, $"column 3 (MUE adjudication indicator): '{Clip(maiText)}' is not '1 Line Edit', '2 Date of Service Edit: Policy' or '3 Date of Service Edit: Clinical'");
            var rationaleSpan = csv.GetFieldSpan(3).Trim();
            if (problems.Count != before) continue;
            if (seen.TryGetValue(code.Packed, out var firstLine))
            {
                problems.Add(number, $"code {code} appears twice (first on line {firstLine})");
                continue;
            }
            seen.Add(code.Packed, number);
            var lookup = rationales.GetAlternateLookup<ReadOnlySpan<char>>();
            if (!lookup.TryGetValue(rationaleSpan, out var rationale))
            {
                if (rationales.Count >= MueRows.MaxRationales)
                {
                    problems.Add(number, $"column 4 (MUE rationale): more than {MueRows.MaxRationales} distinct rationales in one table; CMS uses a short fixed vocabulary");
                    continue;
                }
                rationale = string.Intern(rationaleSpan.ToString());
                rationales.Add(rationale, rationale);
            }
            rows.Add(new MueRow(code, value, mai, rationale));
        }
        if (!headerFound) throw new CmsFileException(fileName, 0, "no 'HCPCS/CPT Code' header row: this is not a CMS MUE file");
        problems.ThrowIfAny();
        return rows;
    }

    private static MueAdjudication ParseAdjudication(ReadOnlySpan<char> text)
    {
        foreach (var mai in (MueAdjudication[])[MueAdjudication.Line, MueAdjudication.DateOfServicePolicy, MueAdjudication.DateOfServiceClinical])
            if (text.Equals(mai.Text(), StringComparison.OrdinalIgnoreCase)) return mai;
        return 0;
    }

    private static string Clip(ReadOnlySpan<char> s) => s.Length > 20 ? string.Concat(s[..20], "…") : s.ToString();

    /// <summary>Writes a table in the CMS layout (latin-1, CRLF, quoted notice and header).</summary>
    public static void Write(Stream output, TableId table, IEnumerable<MueRow> rows)
    {
        using var w = new StreamWriter(output, Encoding.Latin1, 1 << 16, leaveOpen: true) { NewLine = "\r\n" };
        w.WriteLine($"\"{Notice}\",,,");
        w.WriteLine($"\"HCPCS/\r\nCPT Code\",\"{CmsNames.MueValueHeader(table)}\",\"MUE Adjudication Indicator\",\"MUE Rationale\"");
        foreach (var row in rows)
            w.WriteLine($"{row.Code},{row.Value.ToString(CultureInfo.InvariantCulture)},\"{row.Adjudication.Text()}\",\"{row.Rationale.Replace("\"", "\"\"", StringComparison.Ordinal)}\"");
    }
}
