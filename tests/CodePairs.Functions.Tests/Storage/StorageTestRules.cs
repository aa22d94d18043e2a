using System.Globalization;
using CodePairs.Rules;

namespace CodePairs.Functions.Tests.Storage;

/// <summary>A small release in CMS row shapes (rows copied from tests/CodePairs.Rules.Tests/TestRules.cs: the real
/// v32.2 rows quoted in NCCI.md plus rows shaped like them), built with the engine's <see cref="ReleaseBuilder"/>.</summary>
internal static class StorageTestRules
{
    public static readonly DateOnly ReleaseStart = new(2026, 7, 1);

    public static readonly string[] PractitionerPtp =
    [
        "0001A\t0591T\t\t20220101\t20231231\t1\tCPT Manual or CMS manual coding instruction",
        "13121\t13120\t\t19960101\t19960101\t9\tCPT Manual or CMS manual coding instruction",
        "13121\t13120\t*\t19960101\t*\t0\tCPT Manual or CMS manual coding instruction",
        "17000\t17281\t\t19990701\t20041231\t1\tMutually exclusive procedures",
        "17000\t17281\t\t19990701\t19990701\t9\tHCPCS/CPT procedure code definition",
        "62323\t77003\t\t20170101\t*\t1\tCPT Manual or CMS manual coding instruction",
        "64493\t77003\t\t20170101\t*\t1\tCPT Manual or CMS manual coding instruction",
        "36000\t36410\t*\t19960101\t*\t1\tStandards of medical/surgical practice",
        "36410\t36000\t\t20100101\t20191231\t0\tMisuse of column two code with column one code",
        "11042\t97597\t\t20140101\t20251231\t0\tStandards of medical/surgical practice",
        "11042\t97597\t\t20260101\t*\t1\tStandards of medical/surgical practice",
        "11042\t11045\t\t20110101\t*\t1\tCPT Manual or CMS manual coding instruction",
        "11042\t0592T\t\t20200101\t*\t0\tMutually exclusive procedures",
    ];

    public static readonly string[] HospitalPtp =
    [
        "13121\t13120\t*\t19960101\t*\t1\tCPT Manual or CMS manual coding instruction",
        "62323\t77003\t\t20170101\t*\t1\tCPT Manual or CMS manual coding instruction",
    ];

    // add-on · AOC deletion · primary · primary deletion · type · edit effective · edit deletion · notes (Julian dates).
    public static readonly string[] AddOns =
    [
        "11045\t\t11042\t\t1\t2011001\t\t",
        "11045\t\t11043\t\t1\t2011001\t\t",
        "11045\t\t97597\t2023365\t1\t2011001\t\t",
        "99292\t\t99291\t\t1\t2013001\t\t",
        "0592T\t\tCCCCC\t\t2\t2020001\t\tContractor defines primary procedures",
        "22552\t\t22551\t\t3\t2017001\t\t",
        "22552\t\t22554\t\t3\t2017001\t\t",
        "15847\t\t15830\t\t1\t2015001\t2025365\t",
    ];

    public static readonly string[] PractitionerMue =
    [
        "0001U,1,\"2 Date of Service Edit: Policy\",\"Code Descriptor / CPT Instruction\"",
        "11042,1,\"2 Date of Service Edit: Policy\",\"Anatomic Consideration\"",
        "11045,12,\"3 Date of Service Edit: Clinical\",\"Clinical: Data\"",
        "13120,1,\"1 Line Edit\",\"Anatomic Consideration\"",
        "17281,2,\"1 Line Edit\",\"Clinical: Data\"",
        "62323,1,\"2 Date of Service Edit: Policy\",\"Code Descriptor / CPT Instruction\"",
        "77003,1,\"3 Date of Service Edit: Clinical\",\"Clinical: Data\"",
        "0591T,0,\"2 Date of Service Edit: Policy\",\"Code Descriptor / CPT Instruction\"",
        "97597,1,\"2 Date of Service Edit: Policy\",\"CMS Policy\"",
        "99291,1,\"2 Date of Service Edit: Policy\",\"CMS Policy\"",
        "99292,8,\"3 Date of Service Edit: Clinical\",\"Clinical: Data\"",
        "64449,1,\"2 Date of Service Edit: Policy\",\"Code Descriptor / CPT Instruction\"",
        "62270,1,\"2 Date of Service Edit: Policy\",\"Code Descriptor / CPT Instruction\"",
    ];

    public static readonly string[] HospitalMue =
    [
        "13120,2,\"1 Line Edit\",\"Anatomic Consideration\"",
        "77003,1,\"3 Date of Service Edit: Clinical\",\"Clinical: Data\"",
    ];

    public static ReleaseBuilder Builder(string id)
        => new ReleaseBuilder(id, ReleaseStart)
            .AddPtp(PtpTable.Practitioner, id, PractitionerPtp.Select(Ptp))
            .AddPtp(PtpTable.Hospital, id, HospitalPtp.Select(Ptp))
            .AddAddOns("AOC_V2026Q3_01", ReleaseStart, AddOns.Select(AddOn))
            .AddMue(MueTable.Practitioner, "2026-07-01", ReleaseStart, PractitionerMue.Select(Mue))
            .AddMue(MueTable.Hospital, "2026-07-01", ReleaseStart, HospitalMue.Select(Mue));

    /// <summary>A rule set of one release with a unique id (so integration tests never share keys).</summary>
    public static (RuleSet Set, Release Release) Build(string? id = null)
    {
        var set = RuleSet.Build(Builder(id ?? UniqueReleaseId()));
        return (set, set.Releases[0]);
    }

    public static string UniqueReleaseId() => "t" + Guid.NewGuid().ToString("N")[..12];

    public static HcpcsCode Code(string text) => HcpcsCode.Parse(text);

    public static PtpRow Ptp(string tabSeparated)
    {
        var c = tabSeparated.Split('\t');
        return new PtpRow(HcpcsCode.Parse(c[0]), HcpcsCode.Parse(c[1]), c[2] == "*",
            Ymd(c[3]), c[4] == "*" ? null : Ymd(c[4]), (ModifierIndicator)int.Parse(c[5], CultureInfo.InvariantCulture), c[6]);
    }

    public static AddOnRow AddOn(string tabSeparated)
    {
        var c = tabSeparated.Split('\t');
        return new AddOnRow(HcpcsCode.Parse(c[0]), Julian(c[1]), c[2] == "CCCCC" ? default : HcpcsCode.Parse(c[2]), Julian(c[3]),
            (AddOnType)int.Parse(c[4], CultureInfo.InvariantCulture), Julian(c[5])!.Value, Julian(c[6]), c[7].Length == 0 ? null : c[7]);
    }

    public static MueRow Mue(string csv)
    {
        var parts = csv.Split(",\"");
        var head = parts[0].Split(',');
        var mai = parts[1].TrimEnd('"');
        return new MueRow(HcpcsCode.Parse(head[0]), int.Parse(head[1], CultureInfo.InvariantCulture), (MueAdjudication)(mai[0] - '0'), parts[2].TrimEnd('"'));
    }

    private static DateOnly Ymd(string s) => DateOnly.ParseExact(s, "yyyyMMdd", CultureInfo.InvariantCulture);

    private static DateOnly? Julian(string s)
    {
        if (s.Length == 0 || s == "*") return null;
        return new DateOnly(int.Parse(s[..4], CultureInfo.InvariantCulture), 1, 1).AddDays(int.Parse(s[4..], CultureInfo.InvariantCulture) - 1);
    }
}
