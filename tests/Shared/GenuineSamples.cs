using System.IO.Compression;

namespace CodePairs.Tests.Shared;

/// <summary>
/// The genuine CMS files in <c>../shared/cms-samples</c> (beside the repository), zipped in memory under the names CMS's
/// downloads carry. A test that needs them fails — never skips — when they are missing: set CODEPAIRS_CMS_SAMPLES to
/// their folder when the repository is checked out elsewhere.
/// </summary>
internal static class GenuineSamples
{
    public const string AocWorkbook = "AOC_V2026Q2-MCR.xlsx";
    public const string PtpExcerpt = "ccipra-v322r0-f1.excerpt.TXT";
    public const string MueQ3Excerpt = "MCR_MUE_PractitionerServices_Eff_07-01-2026.excerpt.csv";
    public static readonly string[] MueQ4 =
    [
        "MCR_MUE_PractitionerServices_Eff_10-01-2026.csv",
        "MCR_MUE_OutpatientHospitalServices_Eff_10-01-2026.csv",
        "MCR_MUE_DMESupplierServices_Eff_10-01-2026.csv",
    ];

    private static readonly Lazy<string> Root = new(Locate);

    public static string Folder => Root.Value;

    private static string Locate()
    {
        if (Environment.GetEnvironmentVariable("CODEPAIRS_CMS_SAMPLES") is { Length: > 0 } configured)
            return Directory.Exists(configured) ? configured : throw new DirectoryNotFoundException($"CODEPAIRS_CMS_SAMPLES={configured} does not exist");
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "cms-samples");
            if (File.Exists(Path.Combine(candidate, AocWorkbook))) return candidate;
        }
        throw new DirectoryNotFoundException(
            "the genuine CMS samples (shared/cms-samples/AOC_V2026Q2-MCR.xlsx) were not found in any folder above " +
            $"{AppContext.BaseDirectory}; they live in ../shared/cms-samples beside the repository (or set CODEPAIRS_CMS_SAMPLES)");
    }

    public static byte[] Read(string name)
    {
        var path = Path.Combine(Folder, name);
        if (!File.Exists(path)) path = Path.Combine(Folder, "mue-2026q4-trimmed", name);
        return File.ReadAllBytes(path);
    }

    public static byte[] Zip(params (string Name, byte[] Bytes)[] entries)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, bytes) in entries)
            {
                using var s = zip.CreateEntry(name).Open();
                s.Write(bytes);
            }
        return memory.ToArray();
    }

    /// <summary>The AOC workbook as CMS's download: <c>add-code-edits-medicare-effective-06012026.zip</c>.</summary>
    public static (string Name, byte[] Bytes) AocDownload()
        => ("add-code-edits-medicare-effective-06012026.zip", Zip((AocWorkbook, Read(AocWorkbook))));

    /// <summary>The PTP excerpt as part f1 of CMS's download (its inner name without ".excerpt").</summary>
    public static (string Name, byte[] Bytes) PtpDownload()
        => ("medicare-ncci-2026q3-practitioner-ptp-edits-ccipra-v322r0-f1.zip", Zip(("ccipra-v322r0-f1.TXT", Read(PtpExcerpt))));

    /// <summary>The 2026 Q3 practitioner MUE excerpt as CMS's download (its inner name without ".excerpt").</summary>
    public static (string Name, byte[] Bytes) MueQ3Download()
        => ("medicare-ncci-2026-q3-practitioner-services-mue-table.zip", Zip(("MCR_MUE_PractitionerServices_Eff_07-01-2026.csv", Read(MueQ3Excerpt))));

    /// <summary>The three genuine 2026 Q4 MUE files as CMS's three downloads.</summary>
    public static IReadOnlyList<(string Name, byte[] Bytes)> MueQ4Downloads() =>
    [
        ("medicare-ncci-2026-q4-practitioner-services-mue-table.zip", Zip((MueQ4[0], Read(MueQ4[0])))),
        ("medicare-ncci-2026-q4-facility-outpatient-hospital-services-mue-table.zip", Zip((MueQ4[1], Read(MueQ4[1])))),
        ("medicare-ncci-2026-q4-dme-supplier-services-mue-table.zip", Zip((MueQ4[2], Read(MueQ4[2])))),
    ];
}
