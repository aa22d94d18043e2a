using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace CodePairs.Rules.Cms;

/// <summary>
/// The AOC <c>.xlsx</c> (NCCI.md), read by header names with the Open XML SDK: add-on code · AOC deletion date ·
/// primary code · primary code deletion date · AOC edit type · AOC edit effective date · AOC edit deletion date ·
/// special instruction notes. The genuine 2026 workbook (row 1 the AMA notice, row 2 the header) names them
/// <c>AOC_Edit_Type · Add-On_Code · AOC_DelDT · Primary_Code · Primary_Code_DelDT · AOC_Edit_EffDT · AOC_Edit_DelDT ·
/// Special_Instruction_Notes</c>, every cell text. Dates are Julian <c>YYYYDDD</c> (older headers end in <c>_JULIAN</c>);
/// a blank or <c>*</c> deletion date means none; the primary <c>CCCCC</c> means "no listed primary" (all type-2 rows, and
/// some type-3 rows, where the contractor decides).
/// </summary>
public static class AddOnWorkbook
{
    /// <summary>The headers the writer uses (the newer CMS spelling).</summary>
    public static readonly string[] Headers =
    [
        "Add-On Code", "AOC_DEL_DT_JULIAN", "Primary Code", "PRIMARY_CD_DEL_DT_JULIAN", "AOC Edit Type",
        "AOC_EDIT_EFF_DT_JULIAN", "AOC_EDIT_DEL_DT_JULIAN", "Special Instruction Notes",
    ];

    // Accepted spellings per column, normalised (letters and digits only, upper case, "JULIAN" removed).
    private static readonly string[][] Aliases =
    [
        ["ADDONCODE", "AOC", "AOCCODE", "ADDON"],
        ["AOCDELDT", "AOCDELETIONDATE", "ADDONCODEDELETIONDATE", "AOCDELDATE"],
        ["PRIMARYCODE", "PRIMARY", "PRIMARYCD"],
        ["PRIMARYCDDELDT", "PRIMARYCODEDELETIONDATE", "PRIMARYDELETIONDATE", "PRIMARYCODEDELDT", "PRIMARYDELDT"],
        ["AOCEDITTYPE", "EDITTYPE", "AOCTYPE"],
        ["AOCEDITEFFDT", "AOCEDITEFFECTIVEDATE", "EDITEFFECTIVEDATE", "AOCEDITEFFDATE"],
        ["AOCEDITDELDT", "AOCEDITDELETIONDATE", "EDITDELETIONDATE", "AOCEDITDELDATE"],
        ["SPECIALINSTRUCTIONNOTES", "SPECIALINSTRUCTIONS", "NOTES", "SPECIALINSTRUCTIONNOTE"],
    ];

    private static readonly string[] ColumnNames =
    [
        "add-on code", "AOC deletion date", "primary code", "primary code deletion date", "AOC edit type",
        "AOC edit effective date", "AOC edit deletion date", "special instruction notes",
    ];

    public const string Placeholder = "CCCCC";
    private const char NumericMark = '\u0001';

    /// <summary>Excel's last column (XFD): a cell reference past it is not a workbook Excel wrote.</summary>
    private const int MaxColumns = 16_384;

    /// <summary>Reads the first worksheet. The stream must be seekable (callers copy zip entries to memory first).
    /// Anything the Open XML SDK or the XML parser throws on a malformed workbook becomes a <see cref="CmsFileException"/>.</summary>
    public static List<AddOnRow> Read(Stream stream, string fileName)
    {
        try
        {
            return ReadRows(stream, fileName);
        }
        catch (Exception e) when (e is OpenXmlPackageException or System.Xml.XmlException or InvalidDataException or IOException
            or FileFormatException or InvalidOperationException or InvalidCastException or NullReferenceException
            or ArgumentException or KeyNotFoundException or FormatException or OverflowException or NotSupportedException)
        {
            throw new CmsFileException(fileName, 0, $"not a readable .xlsx workbook: {e.Message}");
        }
    }

    /// <summary>Whether the stream holds a workbook whose first sheet has the AOC header row in its first 10 rows (for a
    /// file whose name does not say what it is).</summary>
    public static bool LooksLikeAddOnWorkbook(Stream stream)
    {
        try
        {
            using var document = SpreadsheetDocument.Open(stream, false);
            var workbook = document.WorkbookPart;
            var sheet = workbook?.Workbook.Sheets?.Elements<Sheet>().FirstOrDefault();
            if (workbook is null || sheet?.Id?.Value is not { } id || workbook.GetPartById(id) is not WorksheetPart part) return false;
            var shared = workbook.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(i => i.InnerText).ToArray() ?? [];
            var map = part.Worksheet.Descendants<Row>().Take(10).Select(r => HeaderMap(Cells(r, shared, "workbook"))).FirstOrDefault(m => m is not null);
            return map is not null && map.Take(7).All(c => c >= 0);
        }
        catch (Exception e) when (e is OpenXmlPackageException or System.Xml.XmlException or InvalidDataException or IOException
            or FileFormatException or InvalidOperationException or InvalidCastException or NullReferenceException or ArgumentException
            or CmsFileException or KeyNotFoundException)
        {
            return false;
        }
    }

    private static List<AddOnRow> ReadRows(Stream stream, string fileName)
    {
        var problems = new ProblemList(fileName);
        SpreadsheetDocument document;
        try
        {
            document = SpreadsheetDocument.Open(stream, false);
        }
        catch (Exception e) when (e is OpenXmlPackageException or InvalidDataException or IOException or FileFormatException or InvalidOperationException)
        {
            throw new CmsFileException(fileName, 0, $"not a readable .xlsx workbook: {e.Message}");
        }
        using (document)
        {
            var workbook = document.WorkbookPart ?? throw new CmsFileException(fileName, 0, "the workbook has no workbook part");
            var sheet = workbook.Workbook.Sheets?.Elements<Sheet>().FirstOrDefault()
                ?? throw new CmsFileException(fileName, 0, "the workbook has no worksheet");
            if (sheet.Id?.Value is not { } sheetId || workbook.GetPartById(sheetId) is not WorksheetPart part)
                throw new CmsFileException(fileName, 0, "the workbook's first sheet has no worksheet part");
            var shared = workbook.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(i => i.InnerText).ToArray() ?? [];

            int[]? map = null;
            var rows = new List<AddOnRow>();
            foreach (var row in part.Worksheet.Descendants<Row>())
            {
                var number = (int)(row.RowIndex?.Value ?? (uint)(rows.Count + 1));
                var cells = Cells(row, shared, fileName);
                if (map is null)
                {
                    map = HeaderMap(cells);
                    if (map is null)
                    {
                        if (number >= 10) throw new CmsFileException(fileName, 0, "no header row naming 'Add-On Code' in the first 10 rows: this is not an AOC workbook");
                        continue;
                    }
                    var missing = Enumerable.Range(0, 7).Where(c => map[c] < 0).Select(c => $"'{ColumnNames[c]}'").ToArray();
                    if (missing.Length > 0)
                        throw new CmsFileException(fileName, number, $"the header row has no {string.Join(", ", missing)} column (found: {string.Join(", ", cells.Where(c => c.Length > 0).Select(c => $"'{c}'"))})");
                    continue;
                }
                string Cell(int column)
                {
                    var text = map[column] >= 0 && map[column] < cells.Length ? cells[map[column]].Trim() : "";
                    // A short all-digit number is a code that lost its leading zeros only in the code columns.
                    return text.StartsWith(NumericMark) ? (column is 0 or 2 ? text[1..].PadLeft(5, '0') : text[1..]) : text;
                }
                if (Enumerable.Range(0, 8).All(c => Cell(c).Length == 0)) continue;
                var before = problems.Count;
                var addOn = Code(Cell(0), ColumnNames[0], number, problems, placeholderOk: false);
                var aocDeletion = Julian(Cell(1), ColumnNames[1], number, problems, required: false);
                var primary = Code(Cell(2), ColumnNames[2], number, problems, placeholderOk: true);
                var primaryDeletion = Julian(Cell(3), ColumnNames[3], number, problems, required: false);
                var typeText = Cell(4);
                var type = typeText switch { "1" => AddOnType.Type1, "2" => AddOnType.Type2, "3" => AddOnType.Type3, _ => (AddOnType)0 };
                if (type == 0) problems.Add(number, $"{ColumnNames[4]}: expected 1, 2 or 3, found '{Clip(typeText)}'");
                var effective = Julian(Cell(5), ColumnNames[5], number, problems, required: true);
                var deletion = Julian(Cell(6), ColumnNames[6], number, problems, required: false);
                var notes = Cell(7);
                if (problems.Count != before) continue;
                // CCCCC is "no listed primary": every type-2 row, and type-3 rows where the contractor decides (genuine
                // data). A deletion date before the effective date is data too: the row is never in force, and counted.
                if (type == AddOnType.Type2 && !primary.IsEmpty)
                    problems.Add(number, $"type 2 add-on {addOn} lists primary {primary}; type 2 rows carry the placeholder {Placeholder}");
                else if (type == AddOnType.Type1 && primary.IsEmpty)
                    problems.Add(number, $"type 1 add-on {addOn} has the placeholder {Placeholder}; type 1 rows list a primary code");
                else
                    rows.Add(new AddOnRow(addOn, aocDeletion, primary, primaryDeletion, type, effective!.Value, deletion, notes.Length == 0 ? null : notes));
            }
            if (map is null) throw new CmsFileException(fileName, 0, "no header row naming 'Add-On Code': this is not an AOC workbook");
            problems.ThrowIfAny();
            return rows;
        }
    }

    private static int[]? HeaderMap(string[] cells)
    {
        var map = new int[8];
        Array.Fill(map, -1);
        for (var i = 0; i < cells.Length; i++)
        {
            var key = Normalise(cells[i]);
            for (var c = 0; c < 8; c++)
                if (map[c] < 0 && Aliases[c].Contains(key)) { map[c] = i; break; }
        }
        return map[0] < 0 ? null : map;
    }

    private static string Normalise(string header)
    {
        var letters = new string(header.Where(char.IsAsciiLetterOrDigit).ToArray()).ToUpperInvariant();
        return letters.Replace("JULIAN", "", StringComparison.Ordinal);
    }

    /// <summary>The cells of a row by column (sparse rows leave gaps, which become empty strings).</summary>
    private static string[] Cells(Row row, string[] shared, string fileName)
    {
        var list = new List<string>();
        var next = 0;
        foreach (var cell in row.Elements<Cell>())
        {
            var column = cell.CellReference?.Value is { } r ? ColumnIndex(r) : next;
            if (column < 0 || column >= MaxColumns)
                throw new CmsFileException(fileName, (int)(row.RowIndex?.Value ?? 0), $"cell reference '{Clip(cell.CellReference?.Value ?? "")}' is past Excel's last column (XFD)");
            while (list.Count < column) list.Add("");
            var text = cell.DataType?.Value == CellValues.SharedString
                ? (int.TryParse(cell.CellValue?.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s < shared.Length ? shared[s] : "")
                : cell.DataType?.Value == CellValues.InlineString ? cell.InlineString?.InnerText ?? ""
                : cell.CellValue?.Text ?? "";
            // Excel stores all-digit codes as numbers, losing leading zeros (01922 -> 1922) and adding ".0": undo both.
            if (cell.DataType is null || cell.DataType.Value == CellValues.Number)
            {
                if (text.EndsWith(".0", StringComparison.Ordinal)) text = text[..^2];
                if (text.Length is > 0 and < 5 && text.All(char.IsAsciiDigit)) text = NumericMark + text;
            }
            list.Add(text);
            next = column + 1;
        }
        return list.ToArray();
    }

    /// <summary>The 0-based column of a cell reference (A1 → 0); -1 past Excel's last column.</summary>
    private static int ColumnIndex(string reference)
    {
        var index = 0;
        foreach (var ch in reference)
        {
            if (!char.IsAsciiLetter(ch)) break;
            index = index * 26 + (char.ToUpperInvariant(ch) - 'A' + 1);
            if (index > MaxColumns) return -1;
        }
        return index - 1;
    }

    private static HcpcsCode Code(string text, string column, int line, ProblemList problems, bool placeholderOk)
    {
        if (placeholderOk && text.Equals(Placeholder, StringComparison.OrdinalIgnoreCase)) return default;
        if (HcpcsCode.TryParse(text, out var code, out var error)) return code;
        problems.Add(line, $"{column}: {error}");
        return default;
    }

    private static DateOnly? Julian(string text, string column, int line, ProblemList problems, bool required)
    {
        if (text.Length == 0 || text == "*")
        {
            if (required) problems.Add(line, $"{column} is empty");
            return null;
        }
        if (TryJulian(text, out var date)) return date;
        problems.Add(line, $"{column}: '{Clip(text)}' is not a Julian date YYYYDDD");
        return null;
    }

    /// <summary>Parses a Julian <c>YYYYDDD</c> date (2011001 = 2011-01-01, 2023365 = 2023-12-31).</summary>
    public static bool TryJulian(string text, out DateOnly date)
    {
        date = default;
        if (text.Length != 7 || !text.All(char.IsAsciiDigit)) return false;
        var year = int.Parse(text.AsSpan(0, 4), CultureInfo.InvariantCulture);
        var day = int.Parse(text.AsSpan(4), CultureInfo.InvariantCulture);
        if (year < NcciDate.MinDate.Year || year >= NcciDate.MaxDate.Year || day < 1 || day > (DateTime.IsLeapYear(year) ? 366 : 365)) return false;
        date = new DateOnly(year, 1, 1).AddDays(day - 1);
        return true;
    }

    public static string ToJulian(DateOnly date) => $"{date.Year:D4}{date.DayOfYear:D3}";

    private static string Clip(string s) => s.Length > 20 ? s[..20] + "…" : s;

    /// <summary>Writes rows as CMS ships them: one sheet, header row, codes as text, Julian dates as numbers.</summary>
    public static void Write(Stream output, IEnumerable<AddOnRow> rows)
    {
        var data = new SheetData();
        data.Append(TextRow(1, Headers));
        uint r = 2;
        foreach (var row in rows)
        {
            var x = new Row { RowIndex = r };
            x.Append(
                Text($"A{r}", row.AddOn.ToString()),
                Number($"B{r}", row.AddOnDeletion),
                Text($"C{r}", row.Primary.IsEmpty ? Placeholder : row.Primary.ToString()),
                Number($"D{r}", row.PrimaryDeletion),
                new Cell { CellReference = $"E{r}", CellValue = new CellValue(((int)row.Type).ToString(CultureInfo.InvariantCulture)) },
                Number($"F{r}", row.EditEffective),
                Number($"G{r}", row.EditDeletion));
            if (row.Notes is { Length: > 0 } notes) x.Append(Text($"H{r}", notes));
            data.Append(x);
            r++;
        }
        WriteWorkbook(output, data, "AOC");
    }

    /// <summary>A one-sheet workbook of text rows (the ignored <c>.xlsx</c> beside each PTP <c>.TXT</c>).</summary>
    public static void WriteText(Stream output, IEnumerable<string[]> rows)
    {
        var data = new SheetData();
        uint r = 1;
        foreach (var row in rows) data.Append(TextRow(r++, row));
        WriteWorkbook(output, data, "Sheet1");
    }

    /// <summary>Packages one sheet of data as an .xlsx (built in memory: the package needs a seekable stream).</summary>
    private static void WriteWorkbook(Stream output, SheetData data, string sheetName)
    {
        using var buffer = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(buffer, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var sheetPart = workbook.AddNewPart<WorksheetPart>();
            sheetPart.Worksheet = new Worksheet(data);
            workbook.Workbook.AppendChild(new Sheets()).Append(new Sheet { Id = workbook.GetIdOfPart(sheetPart), SheetId = 1, Name = sheetName });
            workbook.Workbook.Save();
        }
        buffer.Position = 0;
        buffer.CopyTo(output);
    }

    private static Row TextRow(uint r, string[] values)
    {
        var row = new Row { RowIndex = r };
        for (var i = 0; i < values.Length; i++) row.Append(Text($"{(char)('A' + i)}{r}", values[i]));
        return row;
    }

    private static Cell Text(string reference, string text)
        => new() { CellReference = reference, DataType = CellValues.InlineString, InlineString = new InlineString(new Text(text)) };

    private static Cell Number(string reference, DateOnly? date)
        => date is { } d ? new Cell { CellReference = reference, CellValue = new CellValue(ToJulian(d)) } : new Cell { CellReference = reference };
}
