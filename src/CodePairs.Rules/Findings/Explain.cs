namespace CodePairs.Rules;

/// <summary>Builds the findings' words: what happened, why (CMS rationale), and what would fix it.
/// Line arguments are 0-based indexes; findings speak in 1-based line numbers.</summary>
internal static class Explain
{
    private static readonly IReadOnlyList<string> BypassNames = NcciModifiers.Bypass.Select(m => m.ToString()).ToArray();
    private static readonly string NotBypassNames = string.Join(", ", NcciModifiers.NotBypass);

    public static Finding UnknownCode(Claim claim, int i)
    {
        var code = claim.Lines[i].Code.ToString();
        return new Finding
        {
            Kind = FindingKind.InvalidInput,
            Severity = Severity.Warning,
            Rule = "input.unknown-code",
            MessageFactory = () => $"Line {i + 1}: {code} appears in no NCCI table loaded (no version of any PTP, add-on or MUE table names it); it may be " +
                      "deleted, not yet effective, or mistyped. No PTP, add-on or MUE check could be made for it.",
            Lines = [i + 1],
            Codes = [code],
            DateOfService = claim.DateOf(i),
            FixFactory = () => new Fix($"Check that {code} is a valid code for the date of service and correct it if mistyped."),
        };
    }

    public static Finding Ptp(Claim claim, int i, int j, PtpEdit edit, string c1, string c2, RuleSource source)
    {
        var detail = new PtpDetail(c1, c2, (int)edit.Indicator, edit.Effective, edit.Deletion, edit.Rationale, edit.PriorTo1996);
        string Head()
        {
            var window = edit.Deletion is { } d ? $"in force {edit.Effective:yyyy-MM-dd} to {d:yyyy-MM-dd}" : $"in force since {edit.Effective:yyyy-MM-dd}";
            return $"{c2} (line {j + 1}) is a column-2 code of {c1} (line {i + 1}) in the {source.Table} PTP edit {c1}/{c2} " +
                   $"({window}, modifier indicator {(int)edit.Indicator}, rationale: {edit.Rationale}).";
        }
        var lines = new[] { i + 1, j + 1 };
        if (edit.Indicator == ModifierIndicator.NotAllowed)
        {
            return new Finding
            {
                Kind = FindingKind.Ptp, Severity = Severity.Deny, Rule = "ptp.indicator-0",
                MessageFactory = () => Head() + $" {c2} is denied when both are billed on the same date of service; no modifier bypasses this edit.",
                Lines = lines, DeniedLines = [j + 1], Codes = [c1, c2], DateOfService = claim.DateOf(i), Source = source, Ptp = detail,
                FixFactory = () => new Fix($"Remove {c2} (line {j + 1}); it is not separately payable with {c1}. Modifiers cannot bypass this edit."),
            };
        }

        var bypass = FirstBypass(claim.Lines[i]) is { } m1 ? (m1, i) : FirstBypass(claim.Lines[j]) is { } m2 ? (m2, j) : ((Modifier?)null, -1);
        if (bypass.Item1 is { } used)
        {
            return new Finding
            {
                Kind = FindingKind.Ptp, Severity = Severity.Info, Rule = "ptp.bypassed",
                MessageFactory = () => Head() + $" Modifier {used} on line {bypass.Item2 + 1} bypasses it; the medical record must support a distinct service.",
                Lines = lines, Codes = [c1, c2], DateOfService = claim.DateOf(i), Source = source, Ptp = detail,
                FixFactory = () => new Fix($"None needed if documentation supports modifier {used}; otherwise remove {c2} (line {j + 1})."),
            };
        }

        string Note()
        {
            var notBypass = claim.Lines[i].Modifiers.Concat(claim.Lines[j].Modifiers).Where(m => NcciModifiers.NotBypass.Contains(m)).Distinct().ToArray();
            return notBypass.Length > 0 ? $" Modifier{(notBypass.Length > 1 ? "s" : "")} {string.Join(", ", notBypass)} on these lines do{(notBypass.Length > 1 ? "" : "es")} not bypass PTP edits ({NotBypassNames} never do)." : "";
        }
        return new Finding
        {
            Kind = FindingKind.Ptp, Severity = Severity.Bypassable, Rule = "ptp.indicator-1",
            MessageFactory = () => Head() + $" {c2} is denied unless an NCCI-associated modifier shows a distinct service." + Note(),
            Lines = lines, DeniedLines = [j + 1], Codes = [c1, c2], DateOfService = claim.DateOf(i), Source = source, Ptp = detail,
            FixFactory = () => new Fix(
                $"If the services were distinct (separate site, session, encounter or structure) and the record supports it, append an " +
                $"NCCI-associated modifier to line {i + 1} or {j + 1} (XE, XS, XP, XU or 59; an anatomic modifier such as LT/RT; " +
                $"a global-surgery modifier such as 25 or 79 where it applies). Otherwise remove {c2} (line {j + 1}).",
                BypassModifiers: BypassNames),
        };
    }

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
        string List() => primaries.Count > 0 ? string.Join(", ", primaries) : "none";
        return type switch
        {
            AddOnType.Type2 => new Finding
            {
                Kind = FindingKind.AddOn, Severity = Severity.Warning, Rule = "aoc.type-2",
                MessageFactory = () => $"{code} (line {i + 1}) is a type 2 add-on code: CMS lists no eligible primary codes (CCCCC); your Medicare " +
                          "contractor defines them, so CodePairs can neither clear nor deny it.",
                Lines = [i + 1], Codes = [code], DateOfService = claim.DateOf(i), Source = source, AddOn = detail,
                FixFactory = () => new Fix($"Check your MAC's list of primary codes for {code} and make sure one is billed on the same date of service."),
            },
            AddOnType.Type3 when !anyListed => new Finding
            {
                Kind = FindingKind.AddOn, Severity = Severity.Warning, Rule = "aoc.type-3-contractor-primary",
                MessageFactory = () => $"{code} (line {i + 1}) is a type 3 add-on code for which CMS lists no eligible primary on this date (CCCCC): " +
                          "your Medicare contractor decides which primaries it accepts, so CodePairs can neither clear nor deny it.",
                Lines = [i + 1], Codes = [code], DateOfService = claim.DateOf(i), Source = source, AddOn = detail,
                FixFactory = () => new Fix($"Check your MAC's primary codes for {code} and make sure one is billed on the same date of service."),
            },
            AddOnType.Type3 => new Finding
            {
                Kind = FindingKind.AddOn, Severity = Severity.Warning, Rule = "aoc.type-3-no-listed-primary",
                MessageFactory = () => $"{code} (line {i + 1}) is a type 3 add-on code and none of the CMS-listed primaries is on the claim for the " +
                          $"same date of service (listed: {List()}). Your contractor may accept other primaries.",
                Lines = [i + 1], Codes = [code], DateOfService = claim.DateOf(i), Source = source, AddOn = detail,
                FixFactory = () => new Fix($"Bill {code} with one of the listed primaries on the same date of service, or confirm your MAC accepts the primary billed.",
                    EligiblePrimaries: primaries),
            },
            _ => new Finding
            {
                Kind = FindingKind.AddOn, Severity = Severity.Deny, Rule = "aoc.type-1-no-primary",
                MessageFactory = () => $"{code} (line {i + 1}) is a type 1 add-on code, payable only with one of its eligible primary codes on the same " +
                          $"date of service, and none is on the claim (eligible: {List()}).",
                Lines = [i + 1], DeniedLines = [i + 1], Codes = [code], DateOfService = claim.DateOf(i), Source = source, AddOn = detail,
                FixFactory = () => new Fix($"Add the primary procedure performed with {code} (one of {List()}) on the same date of service, or remove {code}.",
                    EligiblePrimaries: primaries),
            },
        };
    }

    public static Finding NoMue(Claim claim, int[] group, int units, RuleSource source)
    {
        var code = claim.Lines[group[0]].Code.ToString();
        return new Finding
        {
            Kind = FindingKind.Mue, Severity = Severity.Info, Rule = "mue.none-published",
            MessageFactory = () => $"{code} has no published MUE in the {source.Table} table {source.Version}: it may have none, or CMS keeps it " +
                                   $"confidential. The units ({units}) were not checked.",
            Lines = Numbers(group), Codes = [code], DateOfService = claim.DateOf(group[0]), Source = source,
            Mue = new MueDetail(code, null, null, null, null, units),
            FixFactory = () => new Fix("None required; confirm the units against your contractor's limits if they are unusual."),
        };
    }

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

    public static Finding MueZero(Claim claim, int[] group, int units, MueLimit limit, RuleSource source)
    {
        var code = limit.Code.ToString();
        return new Finding
        {
            Kind = FindingKind.Mue, Severity = Severity.Deny, Rule = "mue.not-payable",
            MessageFactory = () => $"{code} has an MUE of 0 in the {source.Table} table ({limit.Rationale}): it is not payable in this setting.",
            Lines = Numbers(group), DeniedLines = Numbers(group), Codes = [code], DateOfService = claim.DateOf(group[0]), Source = source,
            Mue = Detail(limit, units),
            FixFactory = () => new Fix($"Remove {code}, or report the service with the code valid for this setting.", UnitsAllowed: 0),
        };
    }

    public static Finding MueLine(Claim claim, int i, MueLimit limit, RuleSource source)
    {
        var code = limit.Code.ToString();
        var units = claim.Lines[i].Units;
        return new Finding
        {
            Kind = FindingKind.Mue, Severity = Severity.Deny, Rule = "mue.line",
            MessageFactory = () => $"Line {i + 1}: {units} units of {code} exceed its MUE of {limit.Value} per claim line (MAI 1, line edit; " +
                      $"rationale: {limit.Rationale}). The whole line is denied.",
            Lines = [i + 1], DeniedLines = [i + 1], Codes = [code], DateOfService = claim.DateOf(i), Source = source,
            Mue = Detail(limit, units),
            FixFactory = () => new Fix($"Report at most {limit.Value} units on line {i + 1}. If more were medically necessary, report the extra units " +
                          "on separate lines with an appropriate modifier (e.g. 76, 77, 91, anatomic or XE/XS/XP/XU).",
                UnitsAllowed: limit.Value),
        };
    }

    public static Finding MueDateOfService(Claim claim, int[] group, int units, MueLimit limit, RuleSource source)
    {
        var code = limit.Code.ToString();
        var policy = limit.Adjudication == MueAdjudication.DateOfServicePolicy;
        return new Finding
        {
            Kind = FindingKind.Mue, Severity = Severity.Deny, Rule = policy ? "mue.dos-policy" : "mue.dos-clinical",
            MessageFactory = () => $"{units} units of {code} on {claim.DateOf(group[0]):yyyy-MM-dd} (line{(group.Length > 1 ? "s" : "")} " +
                      $"{string.Join(", ", Numbers(group))}) exceed its MUE of {limit.Value} per date of service " +
                      $"(MAI {(int)limit.Adjudication}, {(policy ? "policy" : "clinical")}; rationale: {limit.Rationale}). " +
                      "All units of the code on that date are denied.",
            Lines = Numbers(group), DeniedLines = Numbers(group), Codes = [code], DateOfService = claim.DateOf(group[0]), Source = source,
            Mue = Detail(limit, units),
            FixFactory = () => new Fix(policy
                    ? $"Report at most {limit.Value} units of {code} for the date of service in total; a policy MUE is not overturned on appeal."
                    : $"Report at most {limit.Value} units of {code} for the date of service in total; if more were medically necessary, the " +
                      "denial may be appealed with documentation (clinical MUE).",
                UnitsAllowed: limit.Value),
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

    private static MueDetail Detail(MueLimit limit, int units) => new(
        limit.Code.ToString(), limit.Value, (int)limit.Adjudication,
        limit.Adjudication.Text(), limit.Rationale, units);

    private static int[] Numbers(int[] indexes)
    {
        var numbers = new int[indexes.Length];
        for (var k = 0; k < indexes.Length; k++) numbers[k] = indexes[k] + 1;
        return numbers;
    }
}
