namespace CodePairs.Rules;

// The words of the findings the checks report most, composed from each finding's own fields when first read (one
// shared instance per rule, so a finding costs no closure). The rarer findings keep their factories in Explain.

/// <param name="packs">The rule packs that still judged the code (none: nothing could be checked for it).</param>
internal sealed class UnknownCodeText(IReadOnlyList<string>? packs = null) : FindingText
{
    public static readonly UnknownCodeText Instance = new();

    public override string Message(Finding f)
        => $"Line {f.Lines[0]}: {f.Codes[0]} appears in no NCCI table loaded (no version of any PTP, add-on or MUE table names it); it may be " +
           "deleted, not yet effective, or mistyped. " +
           (packs is not { Count: > 0 }
               ? "No PTP, add-on or MUE check could be made for it."
               : $"No CMS PTP, add-on or MUE check could be made for it; the rule pack{(packs.Count > 1 ? "s" : "")} {string.Join(", ", packs)} still checked it.");

    public override Fix Fix(Finding f) => new($"Check that {f.Codes[0]} is a valid code for the date of service and correct it if mistyped.");
}

internal abstract class PtpText : FindingText
{
    public static readonly PtpText Denied = new DeniedText();
    public static readonly PtpText Bypassed = new BypassedText();
    public static readonly PtpText Bypassable = new BypassableText();
    private static readonly IReadOnlyList<string> BypassNames = NcciModifiers.Bypass.Select(m => m.ToString()).ToArray();
    private static readonly string NotBypassNames = string.Join(", ", NcciModifiers.NotBypass);

    /// <summary>Column 1's line and column 2's line (1-based): a PTP finding's lines, in that order.</summary>
    private static (int I, int J) Lines(Finding f) => (f.Lines[0], f.Lines[1]);

    private static string Head(Finding f)
    {
        var p = f.Ptp!;
        var (i, j) = Lines(f);
        var window = p.Deletion is { } d ? $"in force {p.Effective:yyyy-MM-dd} to {d:yyyy-MM-dd}" : $"in force since {p.Effective:yyyy-MM-dd}";
        return $"{p.Column2} (line {j}) is a column-2 code of {p.Column1} (line {i}) in the {f.Source!.Table} PTP edit {p.Column1}/{p.Column2} " +
               $"({window}, modifier indicator {p.ModifierIndicator}, rationale: {p.Rationale}).";
    }

    private sealed class DeniedText : PtpText
    {
        public override string Message(Finding f)
            => Head(f) + $" {f.Ptp!.Column2} is denied when both are billed on the same date of service; no modifier bypasses this edit.";

        public override Fix Fix(Finding f)
            => new($"Remove {f.Ptp!.Column2} (line {Lines(f).J}); it is not separately payable with {f.Ptp.Column1}. Modifiers cannot bypass this edit.");
    }

    private sealed class BypassedText : PtpText
    {
        private static (Modifier Used, int Line) Used(Finding f)
        {
            var (i, j) = Lines(f);
            var (used, line) = Explain.Bypass(f.Claim!, i - 1, j - 1);
            return (used!.Value, line + 1);
        }

        public override string Message(Finding f)
        {
            var (used, line) = Used(f);
            return Head(f) + $" Modifier {used} on line {line} bypasses it; the medical record must support a distinct service.";
        }

        public override Fix Fix(Finding f)
            => new($"None needed if documentation supports modifier {Used(f).Used}; otherwise remove {f.Ptp!.Column2} (line {Lines(f).J}).");
    }

    private sealed class BypassableText : PtpText
    {
        public override string Message(Finding f)
            => Head(f) + $" {f.Ptp!.Column2} is denied unless an NCCI-associated modifier shows a distinct service." + Note(f);

        private static string Note(Finding f)
        {
            var (i, j) = Lines(f);
            var claim = f.Claim!;
            var notBypass = claim.Lines[i - 1].Modifiers.Concat(claim.Lines[j - 1].Modifiers).Where(m => NcciModifiers.NotBypass.Contains(m)).Distinct().ToArray();
            return notBypass.Length > 0 ? $" Modifier{(notBypass.Length > 1 ? "s" : "")} {string.Join(", ", notBypass)} on these lines do{(notBypass.Length > 1 ? "" : "es")} not bypass PTP edits ({NotBypassNames} never do)." : "";
        }

        public override Fix Fix(Finding f)
        {
            var (i, j) = Lines(f);
            return new Fix(
                $"If the services were distinct (separate site, session, encounter or structure) and the record supports it, append an " +
                $"NCCI-associated modifier to line {i} or {j} (XE, XS, XP, XU or 59; an anatomic modifier such as LT/RT; " +
                $"a global-surgery modifier such as 25 or 79 where it applies). Otherwise remove {f.Ptp!.Column2} (line {j}).",
                BypassModifiers: BypassNames);
        }
    }
}

internal abstract class AddOnText : FindingText
{
    public static readonly AddOnText Type1 = new Type1Text();
    public static readonly AddOnText Type2 = new Type2Text();
    public static readonly AddOnText Type3 = new Type3Text();
    public static readonly AddOnText Type3Contractor = new Type3ContractorText();

    private static string List(Finding f) => f.AddOn!.ListedPrimaries is { Count: > 0 } p ? string.Join(", ", p) : "none";

    private sealed class Type2Text : AddOnText
    {
        public override string Message(Finding f)
            => $"{f.AddOn!.AddOnCode} (line {f.Lines[0]}) is a type 2 add-on code: CMS lists no eligible primary codes (CCCCC); your Medicare " +
               "contractor defines them, so CodePairs can neither clear nor deny it.";

        public override Fix Fix(Finding f)
            => new($"Check your MAC's list of primary codes for {f.AddOn!.AddOnCode} and make sure one is billed on the same date of service.");
    }

    private sealed class Type3ContractorText : AddOnText
    {
        public override string Message(Finding f)
            => $"{f.AddOn!.AddOnCode} (line {f.Lines[0]}) is a type 3 add-on code for which CMS lists no eligible primary on this date (CCCCC): " +
               "your Medicare contractor decides which primaries it accepts, so CodePairs can neither clear nor deny it.";

        public override Fix Fix(Finding f)
            => new($"Check your MAC's primary codes for {f.AddOn!.AddOnCode} and make sure one is billed on the same date of service.");
    }

    private sealed class Type3Text : AddOnText
    {
        public override string Message(Finding f)
            => $"{f.AddOn!.AddOnCode} (line {f.Lines[0]}) is a type 3 add-on code and none of the CMS-listed primaries is on the claim for the " +
               $"same date of service (listed: {List(f)}). Your contractor may accept other primaries.";

        public override Fix Fix(Finding f)
            => new($"Bill {f.AddOn!.AddOnCode} with one of the listed primaries on the same date of service, or confirm your MAC accepts the primary billed.",
                EligiblePrimaries: f.AddOn.ListedPrimaries);
    }

    private sealed class Type1Text : AddOnText
    {
        public override string Message(Finding f)
            => $"{f.AddOn!.AddOnCode} (line {f.Lines[0]}) is a type 1 add-on code, payable only with one of its eligible primary codes on the same " +
               $"date of service, and none is on the claim (eligible: {List(f)}).";

        public override Fix Fix(Finding f)
            => new($"Add the primary procedure performed with {f.AddOn!.AddOnCode} (one of {List(f)}) on the same date of service, or remove {f.AddOn.AddOnCode}.",
                EligiblePrimaries: f.AddOn.ListedPrimaries);
    }
}

internal abstract class MueText : FindingText
{
    public static readonly MueText NonePublished = new NonePublishedText();
    public static readonly MueText NotPayable = new NotPayableText();
    public static readonly MueText Line = new LineText();
    public static readonly MueText DatePolicy = new DateText(policy: true);
    public static readonly MueText DateClinical = new DateText(policy: false);

    private sealed class NonePublishedText : MueText
    {
        private static readonly Fix None = new("None required; confirm the units against your contractor's limits if they are unusual.");

        public override string Message(Finding f)
            => $"{f.Codes[0]} has no published MUE in the {f.Source!.Table} table {f.Source.Version}: it may have none, or CMS keeps it " +
               $"confidential. The units ({f.Mue!.UnitsBilled}) were not checked.";

        public override Fix Fix(Finding f) => None;
    }

    private sealed class NotPayableText : MueText
    {
        public override string Message(Finding f)
            => $"{f.Codes[0]} has an MUE of 0 in the {f.Source!.Table} table ({f.Mue!.Rationale}): it is not payable in this setting.";

        public override Fix Fix(Finding f) => new($"Remove {f.Codes[0]}, or report the service with the code valid for this setting.", UnitsAllowed: 0);
    }

    private sealed class LineText : MueText
    {
        public override string Message(Finding f)
            => $"Line {f.Lines[0]}: {f.Mue!.UnitsBilled} units of {f.Codes[0]} exceed its MUE of {f.Mue.Value} per claim line (MAI 1, line edit; " +
               $"rationale: {f.Mue.Rationale}). The whole line is denied.";

        public override Fix Fix(Finding f)
            => new($"Report at most {f.Mue!.Value} units on line {f.Lines[0]}. If more were medically necessary, report the extra units " +
                   "on separate lines with an appropriate modifier (e.g. 76, 77, 91, anatomic or XE/XS/XP/XU).",
                UnitsAllowed: f.Mue.Value);
    }

    private sealed class DateText(bool policy) : MueText
    {
        public override string Message(Finding f)
            => $"{f.Mue!.UnitsBilled} units of {f.Codes[0]} on {f.DateOfService!.Value:yyyy-MM-dd} (line{(f.Lines.Count > 1 ? "s" : "")} " +
               $"{string.Join(", ", f.Lines)}) exceed its MUE of {f.Mue.Value} per date of service " +
               $"(MAI {f.Mue.AdjudicationIndicator}, {(policy ? "policy" : "clinical")}; rationale: {f.Mue.Rationale}). " +
               "All units of the code on that date are denied.";

        public override Fix Fix(Finding f)
            => new(policy
                    ? $"Report at most {f.Mue!.Value} units of {f.Codes[0]} for the date of service in total; a policy MUE is not overturned on appeal."
                    : $"Report at most {f.Mue!.Value} units of {f.Codes[0]} for the date of service in total; if more were medically necessary, the " +
                      "denial may be appealed with documentation (clinical MUE).",
                UnitsAllowed: f.Mue.Value);
    }
}
