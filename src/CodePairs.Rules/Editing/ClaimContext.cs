namespace CodePairs.Rules;

/// <summary>One check of the validator (a table kind's edits, unknown codes, a rule pack), run in order on each claim.</summary>
internal interface IClaimCheck
{
    void Check(ref ClaimContext context);
}

/// <summary>What the checks of one claim share: the claim, each line's code id, day and era (the table versions in
/// force on its date of service), and the findings so far. Lives on the stack for one claim.</summary>
internal ref struct ClaimContext(Claim claim, ReadOnlySpan<int> ids, ReadOnlySpan<ushort> days, ReadOnlySpan<Era> eras, FindingList report)
{
    public readonly Claim Claim = claim;
    /// <summary>Each line's code id in the rule set's code index (-1: in no table).</summary>
    public readonly ReadOnlySpan<int> Ids = ids;
    /// <summary>Each line's date of service as NcciDate days.</summary>
    public readonly ReadOnlySpan<ushort> Days = days;
    /// <summary>Each line's era.</summary>
    public readonly ReadOnlySpan<Era> Eras = eras;
    public readonly FindingList Report = report;

    public readonly int Lines => Ids.Length;
    public readonly Setting Setting => Claim.Setting;
    public readonly CodeIndex Codes => Report.Codes;

    /// <summary>The version of <paramref name="table"/> in force on line <paramref name="line"/>'s date, or null (then
    /// the check reports the table as not checked for that date, once, and skips the line).</summary>
    public readonly TableVersion? Version(TableId table, int line)
    {
        var version = Eras[line].Version(table);
        if (version is null) Report.NotChecked(table, line, Days);
        return version;
    }
}

/// <summary>Collects findings and sorts them the same way whatever the order they were found in. One per thread, reused
/// claim after claim (<see cref="Start"/>), so a claim with nothing to report allocates nothing here.</summary>
internal sealed class FindingList
{
    private readonly List<Finding> _items = [];
    private readonly List<(TableId Table, ushort Day)> _notChecked = [];
    private RuleSet _rules = null!;
    public Claim Claim { get; private set; } = null!;
    public CodeIndex Codes { get; private set; } = null!;

    public void Start(Claim claim, RuleSet rules)
    {
        Claim = claim;
        _rules = rules;
        Codes = rules.Codes;
    }

    public void Add(Finding finding) => _items.Add(finding);

    /// <summary>Reports, once per table and date, that no version of the table is in force on the line's date.</summary>
    public void NotChecked(TableId table, int line, ReadOnlySpan<ushort> days)
    {
        var day = days[line];
        foreach (var (t, d) in _notChecked) if (t == table && d == day) return;
        _notChecked.Add((table, day));
        var lines = new List<int>();
        for (var i = 0; i < days.Length; i++) if (days[i] == day) lines.Add(i);
        Add(Explain.NotChecked(Claim, table, NcciDate.FromDay(day), lines, _rules.VersionsOf(table)));
    }

    /// <summary>The findings in their reporting order (a new array the caller keeps), and the list emptied for the next claim.</summary>
    public IReadOnlyList<Finding> TakeSorted()
    {
        _notChecked.Clear();
        Claim = null!;
        if (_items.Count == 0) return [];
        if (_items.Count > 1) _items.Sort(Order);
        var sorted = _items.ToArray();
        _items.Clear();
        return sorted;
    }

    private static readonly Comparison<Finding> Order = static (a, b) =>
    {
        var c = b.Severity.CompareTo(a.Severity);
        if (c != 0) return c;
        c = (a.Lines.Count > 0 ? a.Lines[0] : 0).CompareTo(b.Lines.Count > 0 ? b.Lines[0] : 0);
        if (c != 0) return c;
        c = a.Kind.CompareTo(b.Kind);
        if (c != 0) return c;
        c = string.CompareOrdinal(a.Rule, b.Rule);
        if (c != 0) return c;
        for (var k = 0; k < Math.Min(a.Codes.Count, b.Codes.Count); k++)
        {
            c = string.CompareOrdinal(a.Codes[k], b.Codes[k]);
            if (c != 0) return c;
        }
        c = a.Codes.Count.CompareTo(b.Codes.Count);
        if (c != 0) return c;
        c = string.CompareOrdinal(a.Source?.Table, b.Source?.Table);
        return c != 0 ? c : string.CompareOrdinal(a.Source?.Version, b.Source?.Version);
    };
}
