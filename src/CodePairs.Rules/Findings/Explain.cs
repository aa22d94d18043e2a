namespace CodePairs.Rules;

/// <summary>Builds the findings' words: what happened, why (CMS rationale), and what would fix it.
/// Line arguments are 0-based indexes; findings speak in 1-based line numbers.</summary>
internal static class Explain
{
    /// <param name="packs">The rule packs that still judge the line (their findings say what they found).</param>
    public static Finding UnknownCode(Claim claim, int i, IReadOnlyList<string> packs) => new()
    {
        Kind = FindingKind.InvalidInput,
        Severity = Severity.Warning,
        Rule = "input.unknown-code",
        Text = packs.Count == 0 ? UnknownCodeText.Instance : new UnknownCodeText(packs),
        Lines = LineNumbers.One(i + 1),
        Codes = [claim.Lines[i].Code.ToString()],
        DateOfService = claim.DateOf(i),
    };

    /// <summary>A PTP edit between line <paramref name="i"/> (column 1) and line <paramref name="j"/> (column 2).</summary>
    public static Finding Ptp(Claim claim, int i, int j, PtpDetail detail, RuleSource source)
    {
        var lines = LineNumbers.Two(i + 1, j + 1);
        var codes = new[] { detail.Column1, detail.Column2 };
        if (detail.ModifierIndicator == (int)ModifierIndicator.NotAllowed)
        {
            return new Finding
            {
                Kind = FindingKind.Ptp, Severity = Severity.Deny, Rule = "ptp.indicator-0", Text = PtpText.Denied,
                Lines = lines, DeniedLines = LineNumbers.One(j + 1), Codes = codes, DateOfService = claim.DateOf(i), Source = source, Ptp = detail,
            };
        }
        if (Bypass(claim, i, j).Modifier is not null)
        {
            return new Finding
            {
                Kind = FindingKind.Ptp, Severity = Severity.Info, Rule = "ptp.bypassed", Text = PtpText.Bypassed, Claim = claim,
                Lines = lines, Codes = codes, DateOfService = claim.DateOf(i), Source = source, Ptp = detail,
            };
        }
        return new Finding
        {
            Kind = FindingKind.Ptp, Severity = Severity.Bypassable, Rule = "ptp.indicator-1", Text = PtpText.Bypassable, Claim = claim,
            Lines = lines, DeniedLines = LineNumbers.One(j + 1), Codes = codes, DateOfService = claim.DateOf(i), Source = source, Ptp = detail,
        };
    }

    /// <summary>The first NCCI bypass modifier on line i, else on line j, and its line.</summary>
    internal static (Modifier? Modifier, int Line) Bypass(Claim claim, int i, int j)
        => FirstBypass(claim.Lines[i]) is { } m1 ? (m1, i) : FirstBypass(claim.Lines[j]) is { } m2 ? (m2, j) : (null, -1);

    private static Modifier? FirstBypass(ClaimLine line)
    {
        foreach (var m in line.Modifiers) if (m.IsNcciBypass) return m;
        return null;
    }

    public static Finding AddOn(Claim claim, int i, AddOnEdit edit, AddOnType type, bool anyListed, Func<IReadOnlyList<CodeRange>> listed, RuleSource source)
    {
        var code = edit.AddOn.ToString();
        var primaries = new LazyList<string>(() => listed().Select(r => r.ToString()).ToArray());
        var detail = new AddOnDetail(code, (int)type, primaries, edit.EditEffective, edit.EditDeletion, edit.Notes);
        var (severity, rule, text) = type switch
        {
            AddOnType.Type2 => (Severity.Warning, "aoc.type-2", AddOnText.Type2),
            AddOnType.Type3 when !anyListed => (Severity.Warning, "aoc.type-3-contractor-primary", AddOnText.Type3Contractor),
            AddOnType.Type3 => (Severity.Warning, "aoc.type-3-no-listed-primary", AddOnText.Type3),
            _ => (Severity.Deny, "aoc.type-1-no-primary", AddOnText.Type1),
        };
        return new Finding
        {
            Kind = FindingKind.AddOn, Severity = severity, Rule = rule, Text = text,
            Lines = LineNumbers.One(i + 1), DeniedLines = severity == Severity.Deny ? LineNumbers.One(i + 1) : [],
            Codes = [code], DateOfService = claim.DateOf(i), Source = source, AddOn = detail,
        };
    }

    /// <summary>A code with no published MUE; <paramref name="group"/> holds the 0-based lines of the code on the date.</summary>
    public static Finding NoMue(Claim claim, ReadOnlySpan<int> group, int units, IReadOnlyList<string> code, RuleSource source) => new()
    {
        Kind = FindingKind.Mue, Severity = Severity.Info, Rule = "mue.none-published", Text = MueText.NonePublished,
        Lines = LineNumbers.Of(group), Codes = code, DateOfService = claim.DateOf(group[0]), Source = source,
        Mue = new MueDetail(code[0], null, null, null, null, units),
    };

    /// <summary>No version of a table is in force on a date: its edits were not checked for the lines of that date.</summary>
    public static Finding NotChecked(Claim claim, TableId table, DateOnly date, IReadOnlyList<int> lines, IReadOnlyList<TableVersion> held)
    {
        var name = table.Name();
        var (kind, what) = table.Kind() switch
        {
            TableKind.Ptp => (FindingKind.Ptp, "PTP edits"),
            TableKind.AddOn => (FindingKind.AddOn, "add-on code edits"),
            _ => (FindingKind.Mue, "MUE unit limits"),
        };
        var codes = lines.Select(l => claim.Lines[l].Code.ToString()).Distinct().Order(StringComparer.Ordinal).ToArray();
        return new Finding
        {
            Kind = kind, Severity = Severity.Warning, Rule = $"{TableKindRule(table.Kind())}.not-checked",
            MessageFactory = () => (held.Count == 0
                    ? $"No {name} table is loaded, so the {what} of the lines dated {date:yyyy-MM-dd} were not checked."
                    : $"No {name} version is in force on {date:yyyy-MM-dd} (the earliest loaded, {held[0].Version}, starts " +
                      $"{held[0].EffectiveFrom:yyyy-MM-dd}), so the {what} of the lines of that date were not checked.")
                + " This is not a pass.",
            Lines = lines.Select(l => l + 1).ToArray(), Codes = codes, DateOfService = date,
            FixFactory = () => new Fix(held.Count == 0
                ? $"Ask your operator to load the CMS {name} table, then check the claim again."
                : $"Ask your operator to load the CMS {name} version in force on {date:yyyy-MM-dd}, then check the claim again."),
        };
    }

    private static string TableKindRule(TableKind kind) => kind switch { TableKind.Ptp => "ptp", TableKind.AddOn => "aoc", _ => "mue" };

    /// <summary>An MUE of 0: every line of the code on the date is denied.</summary>
    public static Finding MueZero(Claim claim, ReadOnlySpan<int> group, IReadOnlyList<string> code, MueDetail detail, RuleSource source)
    {
        var lines = LineNumbers.Of(group);
        return new Finding
        {
            Kind = FindingKind.Mue, Severity = Severity.Deny, Rule = "mue.not-payable", Text = MueText.NotPayable,
            Lines = lines, DeniedLines = lines, Codes = code, DateOfService = claim.DateOf(group[0]), Source = source, Mue = detail,
        };
    }

    /// <summary>Line <paramref name="i"/>'s units exceed a per-line (MAI 1) MUE.</summary>
    public static Finding MueLine(Claim claim, int i, IReadOnlyList<string> code, MueDetail detail, RuleSource source)
    {
        var lines = LineNumbers.One(i + 1);
        return new Finding
        {
            Kind = FindingKind.Mue, Severity = Severity.Deny, Rule = "mue.line", Text = MueText.Line,
            Lines = lines, DeniedLines = lines, Codes = code, DateOfService = claim.DateOf(i), Source = source, Mue = detail,
        };
    }

    /// <summary>The units of a code summed over the date exceed a per-date (MAI 2 or 3) MUE.</summary>
    public static Finding MueDateOfService(Claim claim, ReadOnlySpan<int> group, IReadOnlyList<string> code, MueDetail detail, RuleSource source)
    {
        var lines = LineNumbers.Of(group);
        var policy = detail.AdjudicationIndicator == (int)MueAdjudication.DateOfServicePolicy;
        return new Finding
        {
            Kind = FindingKind.Mue, Severity = Severity.Deny, Rule = policy ? "mue.dos-policy" : "mue.dos-clinical",
            Text = policy ? MueText.DatePolicy : MueText.DateClinical,
            Lines = lines, DeniedLines = lines, Codes = code, DateOfService = claim.DateOf(group[0]), Source = source, Mue = detail,
        };
    }

    public static Finding PackAddOn(Claim claim, int i, PackAddOnRule rule, RulePack pack)
    {
        var code = rule.Code.ToString();
        var primaries = rule.PrimaryRanges;
        return new Finding
        {
            Kind = FindingKind.AddOn, Severity = Severity.Deny, Rule = "pack.add-on-no-primary",
            MessageFactory = () => $"{code} (line {i + 1}) is an add-on code under rule pack '{pack.Name}' and none of its primaries is on the claim " +
                      $"for the same date of service (eligible: {string.Join(", ", primaries)}).{Reason(rule)}",
            Lines = [i + 1], DeniedLines = [i + 1], Codes = [code], DateOfService = claim.DateOf(i), Source = pack.Source,
            AddOn = new AddOnDetail(code, null, primaries, rule.From ?? pack.EffectiveFrom, rule.To ?? pack.EffectiveTo, rule.Rationale),
            FixFactory = () => new Fix($"Add the primary procedure performed with {code} (one of {string.Join(", ", primaries)}) on the same date of service, or remove {code}.",
                EligiblePrimaries: primaries),
        };
    }

    public static Finding PackNotWith(Claim claim, int i, int j, PackNotWithRule rule, RulePack pack)
    {
        var (code, other) = (rule.Code.ToString(), claim.Lines[j].Code.ToString());
        return new Finding
        {
            Kind = FindingKind.Ptp, Severity = Severity.Deny, Rule = "pack.not-with",
            MessageFactory = () => $"{code} (line {i + 1}) is not reported with {other} (line {j + 1}) under rule pack '{pack.Name}'.{Reason(rule)}",
            Lines = [Math.Min(i, j) + 1, Math.Max(i, j) + 1], DeniedLines = [i + 1], Codes = [code, other], DateOfService = claim.DateOf(i),
            Source = pack.Source,
            FixFactory = () => new Fix($"Remove {code} (line {i + 1}); its service is included in {other} (line {j + 1})."),
        };
    }

    private static string Reason(PackRule rule) => string.IsNullOrWhiteSpace(rule.Rationale) ? "" : $" Rationale: {rule.Rationale}.";
}
