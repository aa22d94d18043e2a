namespace CodePairs.Rules;

/// <summary>
/// What the rule set says about two codes billed together on one date in one setting: both directions' PTP rows of the
/// setting's version in force (<see cref="PairLookup"/>), the two lines judged as a claim by the validator (so
/// modifiers, rule packs and not-checked warnings count as on any claim), and one sentence summing up the PTP answer.
/// </summary>
/// <param name="PtpTable">The PTP table version the edits were read from (null when none is loaded for the setting).</param>
public sealed record PairReport(HcpcsCode Code1, HcpcsCode Code2, DateOnly DateOfService, Setting Setting, RuleSource? PtpTable,
    IReadOnlyList<PairEdit> Edits, string Summary, ValidationResult Result)
{
    /// <summary>The question as a two-line claim (line 1 = <paramref name="code1"/>, line 2 = <paramref name="code2"/>),
    /// every problem collected; without a setting, practitioner; without a date, <paramref name="today"/>.</summary>
    public static (Claim? Claim, IReadOnlyList<InputError> Errors) Parse(string code1, string code2, PairQuery query, DateOnly today)
        => ClaimParser.Parse(new ClaimInput
        {
            Setting = query.Setting,
            DateOfService = query.DateOfService ?? today.ToString(ClaimParser.DateFormat),
            Lines = [new ClaimLineInput { Code = code1, Modifiers = query.Modifiers1 }, new ClaimLineInput { Code = code2, Modifiers = query.Modifiers2 }],
        }, defaultSetting: Setting.Practitioner);

    /// <summary>The report for a two-line claim from <see cref="Parse"/>.</summary>
    public static PairReport For(ClaimValidator validator, Claim claim)
    {
        var (a, b) = (claim.Lines[0].Code, claim.Lines[1].Code);
        var (version, edits) = validator.Rules.PairEdits(a, b, claim.Setting, claim.DateOfService);
        var result = validator.Validate(claim);
        return new PairReport(a, b, claim.DateOfService, claim.Setting, version?.Source,
            edits.Select(e => PairEdit.Of(e, claim.DateOfService)).ToArray(), Summarize(a, b, claim, version, result), result);
    }

    private static string Summarize(HcpcsCode a, HcpcsCode b, Claim claim, TableVersion? version, ValidationResult result)
    {
        var ptp = result.Findings.Where(f => f.Kind == FindingKind.Ptp).Select(f => f.Message).ToArray();
        if (ptp.Length > 0) return string.Join(" ", ptp);
        var table = Tables.Ptp(claim.Setting).Name();
        return version is null
            ? $"PTP edits between {a} and {b} were not checked: no {table} table is loaded."
            : $"No PTP edit between {a} and {b} is in force on {claim.DateOfService:yyyy-MM-dd} in the {table} table {version.Version}.";
    }
}
