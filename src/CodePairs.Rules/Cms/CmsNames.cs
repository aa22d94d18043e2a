using System.Globalization;
using System.Text.RegularExpressions;

namespace CodePairs.Rules.Cms;

/// <summary>What a CMS file is, judged from its name alone (NCCI.md: release id, table and effective date live in
/// file names, never in rows).</summary>
public enum CmsFileKind { Unknown, Ptp, AddOn, Mue, Manifest }

/// <summary>A CMS file name taken apart.</summary>
public sealed record CmsFileName(CmsFileKind Kind, string Name, string? ReleaseId = null, PtpTable? Ptp = null, int Part = 0,
    MueTable? Mue = null, DateOnly? EffectiveFrom = null, string? Version = null);

/// <summary>The file-name conventions of the CMS NCCI downloads, kept in one place.</summary>
public static partial class CmsNames
{
    public const string ManifestName = "release.json";

    [GeneratedRegex(@"(ccipra|ccioph)-(v\d{3}r\d+)-f(\d)", RegexOptions.IgnoreCase)]
    private static partial Regex PtpPattern();

    [GeneratedRegex(@"^(AOC_V(\d{4})Q([1-4])_\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex AddOnPattern();

    [GeneratedRegex(@"MUE_(PractitionerServices|OutpatientHospitalServices|DMESupplierServices)_Eff_(\d{2})-(\d{2})-(\d{4})", RegexOptions.IgnoreCase)]
    private static partial Regex MuePattern();

    /// <summary>Classifies a file (or zip entry) by its name; folders in the name are ignored.</summary>
    public static CmsFileName Classify(string name)
    {
        var file = Path.GetFileName(name.Replace('\\', '/'));
        var ext = Path.GetExtension(file).ToLowerInvariant();
        if (file.Equals(ManifestName, StringComparison.OrdinalIgnoreCase)) return new(CmsFileKind.Manifest, file);
        var ptp = PtpPattern().Match(file);
        if (ptp.Success && ext is ".txt" or ".zip")
        {
            var table = ptp.Groups[1].Value.Equals("ccioph", StringComparison.OrdinalIgnoreCase) ? PtpTable.Hospital : PtpTable.Practitioner;
            var id = ptp.Groups[2].Value.ToLowerInvariant();
            return new(CmsFileKind.Ptp, file, id, table, int.Parse(ptp.Groups[3].Value, CultureInfo.InvariantCulture),
                EffectiveFrom: TryReleaseStart(id, out var start) ? start : null, Version: id);
        }
        var aoc = AddOnPattern().Match(file);
        if (aoc.Success && ext is ".xlsx" or ".zip")
        {
            var start = new DateOnly(int.Parse(aoc.Groups[2].Value, CultureInfo.InvariantCulture), 1, 1)
                .AddMonths((aoc.Groups[3].Value[0] - '1') * 3);
            return new(CmsFileKind.AddOn, file, EffectiveFrom: start, Version: aoc.Groups[1].Value.ToUpperInvariant());
        }
        var mue = MuePattern().Match(file);
        if (mue.Success && ext is ".csv" or ".zip")
        {
            var table = mue.Groups[1].Value.ToLowerInvariant() switch
            {
                "practitionerservices" => MueTable.Practitioner,
                "outpatienthospitalservices" => MueTable.Hospital,
                _ => MueTable.Dme,
            };
            DateOnly? eff = DateOnly.TryParseExact($"{mue.Groups[4].Value}-{mue.Groups[2].Value}-{mue.Groups[3].Value}", "yyyy-MM-dd",
                CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
            return new(CmsFileKind.Mue, file, Mue: table, EffectiveFrom: eff, Version: eff?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
        return new(CmsFileKind.Unknown, file);
    }

    /// <summary>The first day of the quarter a PTP version covers: <c>vNNQrR</c> with NN = year − 1994 and Q = quarter − 1
    /// (v320r0 = 2026-01-01, v323r0 = 2026-10-01).</summary>
    public static bool TryReleaseStart(string releaseId, out DateOnly start)
    {
        start = default;
        if (releaseId.Length < 6 || releaseId[0] is not ('v' or 'V') || !int.TryParse(releaseId.AsSpan(1, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var nn))
            return false;
        var q = releaseId[3] - '0';
        if (q is < 0 or > 3) return false;
        start = new DateOnly(1994 + nn, 1 + 3 * q, 1);
        return true;
    }

    /// <summary>The release id of the quarter that starts on <paramref name="start"/> (revision 0).</summary>
    public static string ReleaseIdFor(DateOnly start) => $"v{start.Year - 1994:D2}{(start.Month - 1) / 3}r0";

    public static string PtpZip(PtpTable table, string releaseId, int part) => $"{PtpStem(table, releaseId, part)}.zip";
    public static string PtpText(PtpTable table, string releaseId, int part) => $"{PtpStem(table, releaseId, part)}.TXT";
    public static string PtpWorkbook(PtpTable table, string releaseId, int part) => $"{PtpStem(table, releaseId, part)}.xlsx";
    private static string PtpStem(PtpTable table, string releaseId, int part)
        => $"{(table == PtpTable.Hospital ? "ccioph" : "ccipra")}-{releaseId}-f{part}";

    /// <summary>AOC version for a quarter, e.g. <c>AOC_V2026Q3_01</c>.</summary>
    public static string AddOnVersion(DateOnly start) => $"AOC_V{start.Year}Q{(start.Month - 1) / 3 + 1}_01";
    public static string AddOnZip(string version) => $"{version}-MCR.zip";
    public static string AddOnWorkbook(string version) => $"{version}-MCR.xlsx";

    public static string MueCsv(MueTable table, DateOnly effective) => $"{MueStem(table, effective)}.csv";
    public static string MueZip(MueTable table, DateOnly effective) => $"{MueStem(table, effective)}.zip";
    private static string MueStem(MueTable table, DateOnly effective) => table switch
    {
        MueTable.Hospital => "MCR_MUE_OutpatientHospitalServices",
        MueTable.Dme => "MCR_MUE_DMESupplierServices",
        _ => "MCR_MUE_PractitionerServices",
    } + "_Eff_" + effective.ToString("MM-dd-yyyy", CultureInfo.InvariantCulture);

    /// <summary>The middle header of an MUE file, which names its table.</summary>
    public static string MueValueHeader(MueTable table) => table switch
    {
        MueTable.Hospital => "Outpatient Hospital Services MUE Values",
        MueTable.Dme => "DME Supplier Services MUE Values",
        _ => "Practitioner Services MUE Values",
    };
}
