namespace CodePairs.Rules;

/// <summary>
/// Judges claims against an immutable <see cref="RuleSet"/> and optional custom packs, running an ordered list of checks
/// (unknown codes, PTP, add-on, MUE, packs). Thread-safe; allocates only for what it reports. Lines pair up only when
/// they share a date of service, and each line is judged by the table versions in force on its date.
/// </summary>
public sealed class ClaimValidator
{
    private const int StackLines = 128;
    private readonly RuleSet _rules;
    private readonly RulePack[] _packs;
    private readonly IClaimCheck[] _checks;

    public ClaimValidator(RuleSet rules, IEnumerable<RulePack>? packs = null)
    {
        _rules = rules;
        _packs = packs?.ToArray() ?? [];
        _checks = _packs.Length == 0
            ? [new UnknownCodeCheck(_packs), PtpCheck.Instance, AddOnCheck.Instance, MueCheck.Instance]
            : [new UnknownCodeCheck(_packs), PtpCheck.Instance, AddOnCheck.Instance, MueCheck.Instance, new PackCheck(_packs)];
    }

    public RuleSet Rules => _rules;
    public IReadOnlyList<RulePack> Packs => _packs;

    // Per-thread scratch reused claim after claim: the eras of the lines and the findings list. Validate never runs
    // re-entrantly on a thread, and everything it returns is copied out of the scratch.
    [ThreadStatic] private static Scratch? _scratch;

    private sealed class Scratch
    {
        public Era[] Eras = new Era[StackLines];
        public readonly FindingList Findings = new();
    }

    public ValidationResult Validate(Claim claim)
    {
        var lines = claim.Lines;
        var n = lines.Count;
        if (n == 0) throw new ArgumentException("a claim needs at least one line", nameof(claim));
        var scratch = _scratch ??= new Scratch();
        if (scratch.Eras.Length < n) scratch.Eras = new Era[n];
        Span<int> ids = n <= StackLines ? stackalloc int[n] : new int[n];
        Span<ushort> days = n <= StackLines ? stackalloc ushort[n] : new ushort[n];
        var eras = scratch.Eras.AsSpan(0, n);
        var codes = _rules.Codes;
        Era? lastEra = null;
        ushort lastDay = 0;
        var single = true;
        for (var i = 0; i < n; i++)
        {
            var line = lines[i];
            ids[i] = codes.Find(line.Code);
            var day = NcciDate.ToDay(line.DateOfService ?? claim.DateOfService);
            days[i] = day;
            if (lastEra is null || day != lastDay)
            {
                var era = _rules.EraFor(day);
                if (lastEra is not null && !ReferenceEquals(era, lastEra)) single = false;
                lastEra = era;
                lastDay = day;
            }
            eras[i] = lastEra;
        }

        var report = scratch.Findings;
        report.Start(claim, _rules);
        IReadOnlyList<Finding> found;
        try
        {
            var context = new ClaimContext(claim, ids, days, eras, report);
            foreach (var check in _checks) check.Check(ref context);
        }
        finally
        {
            found = report.TakeSorted(); // whatever happens, the scratch keeps no finding of this claim for the next one
        }
        var clean = true;
        foreach (var f in found) if (f.Severity >= Severity.Warning) { clean = false; break; }
        var tablesUsed = single ? lastEra!.Sources(claim.Setting) : TablesUsed(eras, claim.Setting);
        eras.Clear();
        return new ValidationResult(clean, found, tablesUsed, n);
    }

    private static IReadOnlyList<RuleSource> TablesUsed(ReadOnlySpan<Era> eras, Setting setting)
        => eras.ToArray().Distinct().SelectMany(e => e.Sources(setting)).Distinct()
            .OrderBy(s => Tables.TryParse(s.Table, out var t) ? (int)t : int.MaxValue).ThenBy(s => s.EffectiveFrom).ToArray();
}

/// <summary>A well-formed code that no table of the rule set names: no CMS table could be checked for it. A rule pack
/// with rules for it on the line's date still judges it, and the warning says so (rather than "nothing was checked").</summary>
internal sealed class UnknownCodeCheck(RulePack[] packs) : IClaimCheck
{
    public void Check(ref ClaimContext c)
    {
        for (var i = 0; i < c.Lines; i++)
            if (c.Ids[i] < 0) c.Report.Add(Explain.UnknownCode(c.Claim, i, PacksFor(c.Claim, i, NcciDate.FromDay(c.Days[i]))));
    }

    private string[] PacksFor(Claim claim, int i, DateOnly dos)
    {
        if (packs.Length == 0) return [];
        var code = claim.Lines[i].Code;
        return packs.Where(p => p.AppliesTo(claim.Setting, dos) && p.Rules.Any(r => r.Code == code && r.InForce(dos))).Select(p => p.Name).ToArray();
    }
}
