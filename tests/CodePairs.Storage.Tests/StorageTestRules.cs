using CodePairs.Rules;
using CodePairs.Rules.Tests;

namespace CodePairs.Storage.Tests;

/// <summary>The engine tests' tables (<see cref="TestRules"/>: the real v32.2 rows quoted in NCCI.md plus rows shaped
/// like them), with two more PTP rows and a hospital MUE table so every stored table kind has rows.</summary>
internal static class StorageTestRules
{
    private static readonly string[] ExtraPractitionerPtp =
    [
        "11042\t11045\t\t20110101\t*\t1\tCPT Manual or CMS manual coding instruction",
        "11042\t0592T\t\t20200101\t*\t0\tMutually exclusive procedures",
    ];

    private static readonly string[] HospitalMue =
    [
        "13120,2,\"1 Line Edit\",\"Anatomic Consideration\"",
        "77003,1,\"3 Date of Service Edit: Clinical\",\"Clinical: Data\"",
    ];

    /// <summary>The tables of one quarter; <paramref name="extraPtp"/> adds practitioner rows (another content, another key).</summary>
    public static RuleSetBuilder Builder(string ptpVersion = "v322r0", params string[] extraPtp)
        => new RuleSetBuilder()
            .AddPtp(TableId.PtpPractitioner, ptpVersion, TestRules.ReleaseStart, TestRules.PractitionerPtp.Concat(ExtraPractitionerPtp).Concat(extraPtp).Select(CmsRows.Ptp))
            .AddPtp(TableId.PtpHospital, ptpVersion, TestRules.ReleaseStart, TestRules.HospitalPtp.Select(CmsRows.Ptp))
            .AddAddOns("AOC_V2026Q3", TestRules.ReleaseStart, TestRules.AddOns.Select(CmsRows.AddOn))
            .AddMue(TableId.MuePractitioner, "2026-07-01", TestRules.ReleaseStart, TestRules.PractitionerMue.Select(CmsRows.Mue))
            .AddMue(TableId.MueHospital, "2026-07-01", TestRules.ReleaseStart, HospitalMue.Select(CmsRows.Mue));

    public static RuleSet Build(params string[] extraPtp) => Builder("v322r0", extraPtp).Build();

    /// <summary>A practitioner PTP row unique to the caller, so its version has a content (and key) of its own.</summary>
    public static string UniqueRow() => $"9{Random.Shared.Next(1000, 9999)}\t13120\t\t20200101\t*\t1\tMutually exclusive procedures";

    public static PtpRow Ptp(string tabSeparated) => CmsRows.Ptp(tabSeparated);
}
