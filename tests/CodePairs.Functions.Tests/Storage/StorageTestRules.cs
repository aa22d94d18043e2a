using CodePairs.Rules;
using CodePairs.Rules.Tests;

namespace CodePairs.Functions.Tests.Storage;

/// <summary>The engine tests' release (<see cref="TestRules"/>: the real v32.2 rows quoted in NCCI.md plus rows shaped
/// like them), with two more PTP rows and a hospital MUE table so every stored table has rows.</summary>
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

    public static ReleaseBuilder Builder(string id)
        => new ReleaseBuilder(id, TestRules.ReleaseStart)
            .AddPtp(PtpTable.Practitioner, id, TestRules.PractitionerPtp.Concat(ExtraPractitionerPtp).Select(CmsRows.Ptp))
            .AddPtp(PtpTable.Hospital, id, TestRules.HospitalPtp.Select(CmsRows.Ptp))
            .AddAddOns("AOC_V2026Q3_01", TestRules.ReleaseStart, TestRules.AddOns.Select(CmsRows.AddOn))
            .AddMue(MueTable.Practitioner, "2026-07-01", TestRules.ReleaseStart, TestRules.PractitionerMue.Select(CmsRows.Mue))
            .AddMue(MueTable.Hospital, "2026-07-01", TestRules.ReleaseStart, HospitalMue.Select(CmsRows.Mue));

    /// <summary>A rule set of one release with a unique id (so integration tests never share keys).</summary>
    public static (RuleSet Set, Release Release) Build(string? id = null)
    {
        var set = RuleSet.Build(Builder(id ?? UniqueReleaseId()));
        return (set, set.Releases[0]);
    }

    public static string UniqueReleaseId() => "t" + Guid.NewGuid().ToString("N")[..12];

    public static PtpRow Ptp(string tabSeparated) => CmsRows.Ptp(tabSeparated);
}
