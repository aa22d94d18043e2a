using System.Globalization;
using System.Text.RegularExpressions;

namespace CodePairs.Rules.Cms;

/// <summary>What a CMS file is, judged from its name.</summary>
public enum CmsFileKind
{
    /// <summary>Not a name CMS uses: the content decides (<see cref="CmsSniff"/>).</summary>
    Unknown,
    /// <summary>A PTP <c>.TXT</c> part.</summary>
    Ptp,
    /// <summary>The AOC workbook.</summary>
    AddOn,
    /// <summary>An MUE <c>.csv</c>.</summary>
    Mue,
    /// <summary>A zip archive: its entries are classified one by one (the archive's name may carry the version).</summary>
    Archive,
    /// <summary>A <c>release.json</c> manifest.</summary>
    Manifest,
    /// <summary>A quarterly delta (additions/deletions/revisions, MUE changes): not a full table, not loaded.</summary>
    Delta,
    /// <summary>A copy CMS ships beside a table (the PTP <c>.xlsx</c>, the AOC fixed-width <c>.txt</c>, the MUE
    /// <c>.xlsx</c>): the table is read from its main file.</summary>
    Companion,
}

/// <summary>A CMS file name taken apart: the kind, and whatever the name says of table, version, effective date and part.</summary>
public sealed record CmsFileName(CmsFileKind Kind, string Name, TableId? Table = null, string? Version = null,
    DateOnly? EffectiveFrom = null, int Part = 0, string? Note = null);

/// <summary>The file-name conventions of the CMS NCCI downloads, kept in one place. Matching ignores case: CMS ships
/// <c>.TXT</c> and <c>.txt</c>, and its download names are lower-case.</summary>
public static partial class CmsNames
{
    public const string ManifestName = "release.json";

    // PTP: ccipra-v322r0-f1.TXT inside medicare-ncci-2026q3-practitioner-ptp-edits-ccipra-v322r0-f1.zip.
    [GeneratedRegex(@"(ccipra|ccioph)-(v\d{3}r\d+)-f(\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex PtpPattern();

    // AOC workbook: AOC_V2026Q2-MCR.xlsx (a revision suffix AOC_V2026Q3_01 is accepted); AOC_V2026Q2-F-MCR.txt is its
    // fixed-width copy.
    [GeneratedRegex(@"AOC_V(\d{4})Q([1-4])(_\d+)?(-F)?", RegexOptions.IgnoreCase)]
    private static partial Regex AddOnPattern();

    // AOC download: add-code-edits-medicare-effective-06012026.zip.
    [GeneratedRegex(@"add-code-edits-medicare-effective-(\d{2})(\d{2})(\d{4})", RegexOptions.IgnoreCase)]
    private static partial Regex AddOnDownloadPattern();

    // MUE file: MCR_MUE_PractitionerServices_Eff_07-01-2026.csv.
    [GeneratedRegex(@"MUE_(PractitionerServices|OutpatientHospitalServices|DMESupplierServices)_Eff_(\d{2})-(\d{2})-(\d{4})", RegexOptions.IgnoreCase)]
    private static partial Regex MuePattern();

    // MUE download: medicare-ncci-2026-q3-practitioner-services-mue-table.zip (…-facility-outpatient-hospital-services-…,
    // …-dme-supplier-services-…).
    [GeneratedRegex(@"(\d{4})-?q([1-4])-(?:facility-)?(practitioner|outpatient-hospital|dme-supplier)-services-mue", RegexOptions.IgnoreCase)]
    private static partial Regex MueDownloadPattern();

    // Quarterly deltas: "additions/deletions/revisions" files and MUE "Changes" workbooks.
    [GeneratedRegex(@"(^|[-_ .])(additions?|deletions?|revisions?|adds|dels|revs|changes?|delta)([-_ .]|$)", RegexOptions.IgnoreCase)]
    private static partial Regex DeltaPattern();

    /// <summary>Classifies a file (or zip entry) by its name; folders in the name are ignored.</summary>
    public static CmsFileName Classify(string name)
    {
        var file = Path.GetFileName(name.Replace('\\', '/'));
        var ext = Path.GetExtension(file).ToLowerInvariant();
        if (file.Equals(ManifestName, StringComparison.OrdinalIgnoreCase)) return new(CmsFileKind.Manifest, file);
        if (DeltaPattern().IsMatch(Path.GetFileNameWithoutExtension(file)))
            return new(CmsFileKind.Delta, file, Note: "a quarterly delta (additions, deletions, revisions or changes), not a full table: not loaded; load the full table files");

        var ptp = PtpPattern().Match(file);
        if (ptp.Success)
        {
            var table = ptp.Groups[1].Value.Equals("ccioph", StringComparison.OrdinalIgnoreCase) ? TableId.PtpHospital : TableId.PtpPractitioner;
            var version = ptp.Groups[2].Value.ToLowerInvariant();
            DateOnly? start = TryReleaseStart(version, out var s) ? s : null;
            var part = int.Parse(ptp.Groups[3].Value, CultureInfo.InvariantCulture);
            return ext switch
            {
                ".txt" => new(CmsFileKind.Ptp, file, table, version, start, part),
                ".zip" => new(CmsFileKind.Archive, file, table, version, start, part),
                ".xlsx" or ".xls" or ".pdf" => new(CmsFileKind.Companion, file, table, version, start, part,
                    $"a copy of the {table.Name()} part f{part} beside its .TXT; the .TXT is read"),
                _ => new(CmsFileKind.Unknown, file, table, version, start, part),
            };
        }

        var aoc = AddOnPattern().Match(file);
        if (aoc.Success)
        {
            var version = $"AOC_V{aoc.Groups[1].Value}Q{aoc.Groups[2].Value}{aoc.Groups[3].Value}".ToUpperInvariant();
            var start = new DateOnly(int.Parse(aoc.Groups[1].Value, CultureInfo.InvariantCulture), 1, 1).AddMonths((aoc.Groups[2].Value[0] - '1') * 3);
            var fixedWidth = aoc.Groups[4].Success;
            return ext switch
            {
                ".xlsx" when !fixedWidth => new(CmsFileKind.AddOn, file, TableId.AddOn, version, start),
                ".zip" => new(CmsFileKind.Archive, file, TableId.AddOn, version, start),
                ".txt" or ".xlsx" or ".pdf" => new(CmsFileKind.Companion, file, TableId.AddOn, version, start,
                    Note: "the fixed-width copy of the AOC workbook; the workbook is read"),
                _ => new(CmsFileKind.Unknown, file, TableId.AddOn, version, start),
            };
        }
        var aocDownload = AddOnDownloadPattern().Match(file);
        if (aocDownload.Success && ext == ".zip")
            return new(CmsFileKind.Archive, file, TableId.AddOn, EffectiveFrom: Mdy(aocDownload.Groups[1].Value, aocDownload.Groups[2].Value, aocDownload.Groups[3].Value));

        var mue = MuePattern().Match(file);
        if (mue.Success)
        {
            var table = mue.Groups[1].Value.ToLowerInvariant() switch
            {
                "practitionerservices" => TableId.MuePractitioner,
                "outpatienthospitalservices" => TableId.MueHospital,
                _ => TableId.MueDme,
            };
            var effective = Mdy(mue.Groups[2].Value, mue.Groups[3].Value, mue.Groups[4].Value);
            var version = effective?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            return ext switch
            {
                ".csv" => new(CmsFileKind.Mue, file, table, version, effective),
                ".zip" => new(CmsFileKind.Archive, file, table, version, effective),
                ".xlsx" or ".xls" or ".pdf" => new(CmsFileKind.Companion, file, table, version, effective,
                    Note: $"a copy of the {table.Name()} table beside its .csv; the .csv is read"),
                _ => new(CmsFileKind.Unknown, file, table, version, effective),
            };
        }
        var mueDownload = MueDownloadPattern().Match(file);
        if (mueDownload.Success && ext == ".zip")
        {
            var table = mueDownload.Groups[3].Value.ToLowerInvariant() switch
            {
                "practitioner" => TableId.MuePractitioner,
                "outpatient-hospital" => TableId.MueHospital,
                _ => TableId.MueDme,
            };
            return new(CmsFileKind.Archive, file, table, EffectiveFrom: QuarterStart(mueDownload.Groups[1].Value, mueDownload.Groups[2].Value));
        }
        return new(ext == ".zip" ? CmsFileKind.Archive : CmsFileKind.Unknown, file);
    }

    private static DateOnly? Mdy(string month, string day, string year)
        => DateOnly.TryParseExact($"{year}-{month}-{day}", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
           && NcciDate.IsSupported(d) ? d : null;

    private static DateOnly? QuarterStart(string year, string quarter)
        => int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var y) && y is >= 1996 and < 2100
            ? new DateOnly(y, 1 + 3 * (quarter[0] - '1'), 1) : null;

    /// <summary>The first day of the quarter a PTP version covers: <c>vNNQrR</c> with NN = year − 1994 and Q = quarter − 1
    /// (v320r0 = 2026-01-01, v323r0 = 2026-10-01).</summary>
    public static bool TryReleaseStart(string version, out DateOnly start)
    {
        start = default;
        if (version.Length < 6 || version[0] is not ('v' or 'V') || !int.TryParse(version.AsSpan(1, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var nn))
            return false;
        var q = version[3] - '0';
        if (q is < 0 or > 3) return false;
        start = new DateOnly(1994 + nn, 1 + 3 * q, 1);
        return true;
    }

    /// <summary>The PTP version of the quarter that starts on <paramref name="start"/> (revision 0).</summary>
    public static string PtpVersionFor(DateOnly start) => $"v{start.Year - 1994:D2}{(start.Month - 1) / 3}r0";

    // ---- the names CMS downloads carry (the generator writes them; tests use them) ----

    private static string Quarter(DateOnly start) => $"{start.Year}q{(start.Month - 1) / 3 + 1}";
    private static string PtpStem(TableId table, string version, int part) => $"{(table == TableId.PtpHospital ? "ccioph" : "ccipra")}-{version}-f{part}";

    /// <summary><c>medicare-ncci-2026q3-practitioner-ptp-edits-ccipra-v322r0-f1.zip</c> (hospital: <c>…-hospital-ptp-edits-ccioph-…</c>).</summary>
    public static string PtpZip(TableId table, string version, int part)
    {
        var start = TryReleaseStart(version, out var s) ? s : throw new ArgumentException($"'{version}' is not a PTP version like v322r0", nameof(version));
        return $"medicare-ncci-{Quarter(start)}-{(table == TableId.PtpHospital ? "hospital" : "practitioner")}-ptp-edits-{PtpStem(table, version, part)}.zip";
    }

    /// <summary><c>ccipra-v322r0-f1.TXT</c>.</summary>
    public static string PtpText(TableId table, string version, int part) => $"{PtpStem(table, version, part)}.TXT";
    public static string PtpWorkbook(TableId table, string version, int part) => $"{PtpStem(table, version, part)}.xlsx";

    /// <summary>The AOC version of a quarter, as the genuine file names it: <c>AOC_V2026Q2</c>.</summary>
    public static string AddOnVersion(DateOnly start) => $"AOC_V{start.Year}Q{(start.Month - 1) / 3 + 1}";
    /// <summary><c>add-code-edits-medicare-effective-06012026.zip</c>.</summary>
    public static string AddOnZip(DateOnly effective) => $"add-code-edits-medicare-effective-{effective:MMddyyyy}.zip";
    /// <summary><c>AOC_V2026Q2-MCR.xlsx</c>.</summary>
    public static string AddOnWorkbook(string version) => $"{version}-MCR.xlsx";
    /// <summary><c>AOC_V2026Q2-F-MCR.txt</c>: the fixed-width copy.</summary>
    public static string AddOnFixedWidth(string version) => $"{version}-F-MCR.txt";

    /// <summary><c>MCR_MUE_PractitionerServices_Eff_07-01-2026.csv</c>.</summary>
    public static string MueCsv(TableId table, DateOnly effective) => $"{MueStem(table, effective)}.csv";
    /// <summary><c>medicare-ncci-2026-q3-practitioner-services-mue-table.zip</c>.</summary>
    public static string MueZip(TableId table, DateOnly effective) => table switch
    {
        TableId.MueHospital => $"medicare-ncci-{effective.Year}-q{(effective.Month - 1) / 3 + 1}-facility-outpatient-hospital-services-mue-table.zip",
        TableId.MueDme => $"medicare-ncci-{effective.Year}-q{(effective.Month - 1) / 3 + 1}-dme-supplier-services-mue-table.zip",
        _ => $"medicare-ncci-{effective.Year}-q{(effective.Month - 1) / 3 + 1}-practitioner-services-mue-table.zip",
    };

    private static string MueStem(TableId table, DateOnly effective) => table switch
    {
        TableId.MueHospital => "MCR_MUE_OutpatientHospitalServices",
        TableId.MueDme => "MCR_MUE_DMESupplierServices",
        _ => "MCR_MUE_PractitionerServices",
    } + "_Eff_" + effective.ToString("MM-dd-yyyy", CultureInfo.InvariantCulture);

    /// <summary>The middle header of an MUE file, which names its table.</summary>
    public static string MueValueHeader(TableId table) => table switch
    {
        TableId.MueHospital => "Outpatient Hospital Services MUE Values",
        TableId.MueDme => "DME Supplier Services MUE Values",
        _ => "Practitioner Services MUE Values",
    };
}
