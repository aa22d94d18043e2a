namespace CodePairs.Rules.Tests;

/// <summary>A small rule set in CMS row shapes: the real rows quoted in NCCI.md plus rows shaped like them.</summary>
internal static class TestRules
{
    public const string ReleaseId = "v322r0";
    public static readonly DateOnly ReleaseStart = new(2026, 7, 1);
    public static readonly DateOnly Dos = new(2026, 8, 3);

    public static readonly string[] PractitionerPtp =
    [
        // Real v32.2 practitioner rows (NCCI.md).
        "0001A\t0591T\t\t20220101\t20231231\t1\tCPT Manual or CMS manual coding instruction",
        "13121\t13120\t\t19960101\t19960101\t9\tCPT Manual or CMS manual coding instruction",
        "13121\t13120\t*\t19960101\t*\t0\tCPT Manual or CMS manual coding instruction",
        "17000\t17281\t\t19990701\t20041231\t1\tMutually exclusive procedures",
        "17000\t17281\t\t19990701\t19990701\t9\tHCPCS/CPT procedure code definition",
        // 77003 is a column-2 code (indicator 1) under 62320-62329 and 64479-64495 in real data.
        "62323\t77003\t\t20170101\t*\t1\tCPT Manual or CMS manual coding instruction",
        "64493\t77003\t\t20170101\t*\t1\tCPT Manual or CMS manual coding instruction",
        // A swapped pair: each direction has its own rows and windows.
        "36000\t36410\t*\t19960101\t*\t1\tStandards of medical/surgical practice",
        "36410\t36000\t\t20100101\t20191231\t0\tMisuse of column two code with column one code",
        // A pair with two windows: indicator 0 until 2025-12-31, indicator 1 from 2026-01-01.
        "11042\t97597\t\t20140101\t20251231\t0\tStandards of medical/surgical practice",
        "11042\t97597\t\t20260101\t*\t1\tStandards of medical/surgical practice",
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
        "11045\t\t97597\t2023365\t1\t2011001\t\t",      // primary deleted 2023-12-31
        "99292\t\t99291\t\t1\t2013001\t\t",
        "0592T\t\tCCCCC\t\t2\t2020001\t\tContractor defines primary procedures", // type 2
        "22552\t\t22551\t\t3\t2017001\t\t",
        "22552\t\t22554\t\t3\t2017001\t\t",
        "15847\t\t15830\t\t1\t2015001\t2025365\t",      // edit deleted 2025-12-31
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

    /// <summary>The test tables as one quarter: PTP practitioner and hospital, AOC and practitioner MUE.</summary>
    public static RuleSetBuilder Builder(string id = ReleaseId, DateOnly? start = null)
    {
        var from = start ?? ReleaseStart;
        return new RuleSetBuilder()
            .AddPtp(TableId.PtpPractitioner, id, from, PractitionerPtp.Select(CmsRows.Ptp))
            .AddPtp(TableId.PtpHospital, id, from, HospitalPtp.Select(CmsRows.Ptp))
            .AddAddOns("AOC_V2026Q3", from, AddOns.Select(CmsRows.AddOn))
            .AddMue(TableId.MuePractitioner, from.ToString("yyyy-MM-dd"), from, PractitionerMue.Select(CmsRows.Mue));
    }

    public static readonly Lazy<RuleSet> Set = new(() => Builder().Build());

    public static ClaimValidator Validator(bool withPack = false)
        => new(Set.Value, withPack ? [RulePack.Fluoroscopy77003] : null);

    public static ClaimLine Line(string code, params string[] modifiers) => Line(code, 1, modifiers);

    public static ClaimLine Line(string code, int units, params string[] modifiers)
        => new(HcpcsCode.Parse(code), modifiers.Select(Modifier.Parse).ToArray(), units);

    public static Claim Claim(params ClaimLine[] lines) => new(Setting.Practitioner, Dos, lines);

    public static Claim ClaimOn(DateOnly dos, params ClaimLine[] lines) => new(Setting.Practitioner, dos, lines);

    public static ValidationResult Check(params ClaimLine[] lines) => Validator().Validate(Claim(lines));

    /// <summary>Findings that matter for payment (everything but info).</summary>
    public static IEnumerable<Finding> Problems(this ValidationResult r) => r.Findings.Where(f => f.Severity >= Severity.Warning);

    public static Finding Single(this ValidationResult r, string rule) => Assert.Single(r.Findings, f => f.Rule == rule);
}
