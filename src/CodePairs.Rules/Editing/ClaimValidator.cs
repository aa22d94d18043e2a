namespace CodePairs.Rules;

/// <summary>
/// Judges claims against an immutable <see cref="RuleSet"/> and optional custom packs. Thread-safe; allocates only
/// for what it reports. Lines pair up only when they share a date of service, and each date of service is judged by
/// the release in force on it.
/// </summary>
public sealed class ClaimValidator
{
    private const int StackLines = 128;
    private readonly RuleSet _rules;
    private readonly RulePack[] _packs;
    private readonly Dictionary<(Release, Setting), RuleSource[]> _sources = [];

    public ClaimValidator(RuleSet rules, IEnumerable<RulePack>? packs = null)
    {
        _rules = rules;
        _packs = packs?.ToArray() ?? [];
        foreach (var release in rules.Releases)
            foreach (var setting in (Setting[])[Setting.Practitioner, Setting.Hospital])
                _sources[(release, setting)] = SourcesOf(release, setting);
    }

    public RuleSet Rules => _rules;
    public IReadOnlyList<RulePack> Packs => _packs;

    public ValidationResult Validate(Claim claim)
    {
        var lines = claim.Lines;
        var n = lines.Count;
        if (n == 0) throw new ArgumentException("a claim needs at least one line", nameof(claim));
        Span<int> ids = n <= StackLines ? stackalloc int[n] : new int[n];
        Span<ushort> days = n <= StackLines ? stackalloc ushort[n] : new ushort[n];
        var releases = new Release[n];
        var codes = _rules.Codes;
        Release? lastRelease = null;
        ushort lastDay = 0;
        for (var i = 0; i < n; i++)
        {
            var line = lines[i];
            ids[i] = codes.Find(line.Code);
            var day = NcciDate.ToDay(line.DateOfService ?? claim.DateOfService);
            days[i] = day;
            if (lastRelease is null || day != lastDay)
            {
                lastRelease = _rules.ReleaseFor(NcciDate.FromDay(day));
                lastDay = day;
            }
            releases[i] = lastRelease;
        }

        var report = new FindingList(claim, codes);
        CheckUnknownCodes(ids, days, releases, report);
        CheckPtp(claim, ids, days, releases, report);
        CheckAddOns(ids, days, releases, report);
        CheckMue(claim, ids, days, releases, report);
        if (_packs.Length > 0) CheckPacks(claim, days, report);

        var findings = report.Sorted();
        var clean = true;
        foreach (var f in findings) if (f.Severity >= Severity.Warning) { clean = false; break; }
        return new ValidationResult(clean, findings, ReleasesUsed(releases, claim.Setting), n);
    }

    private static void CheckUnknownCodes(ReadOnlySpan<int> ids, ReadOnlySpan<ushort> days, Release[] releases, FindingList report)
    {
        for (var i = 0; i < ids.Length; i++)
            if (ids[i] < 0) report.Add(Explain.UnknownCode(report.Claim, i, releases[i]));
    }

    private static void CheckPtp(Claim claim, ReadOnlySpan<int> ids, ReadOnlySpan<ushort> days, Release[] releases, FindingList report)
    {
        var table = TableNames.PtpFor(claim.Setting);
        var n = ids.Length;
        for (var i = 0; i < n; i++)
        {
            var c1 = ids[i];
            if (c1 < 0) continue;
            var ptp = releases[i].Ptp(table);
            if (ptp is null) continue;
            var day = days[i];
            for (var j = 0; j < n; j++)
            {
                var c2 = ids[j];
                if (j == i || c2 < 0 || c2 == c1 || days[j] != day) continue;
                var (start, end) = ptp.Find(c1, c2);
                if (start == end) continue;
                var best = -1;
                for (var r = start; r < end; r++)
                {
                    var meta = ptp.Meta[r];
                    if ((meta & 3) == 2 || !NcciDate.InForce(ptp.Effective[r], ptp.Deletion[r], day)) continue;
                    // Where windows overlap, the stricter row (indicator 0) decides.
                    if (best < 0 || ((meta & 3) == 0 && (ptp.Meta[best] & 3) == 1)) best = r;
                }
                if (best < 0) continue;
                var edit = ptp.Row(best, report.Codes, c1);
                report.Add(Explain.Ptp(claim, i, j, edit, Source(releases[i], table.Name())));
            }
        }
    }

    private static void CheckAddOns(ReadOnlySpan<int> ids, ReadOnlySpan<ushort> days, Release[] releases, FindingList report)
    {
        var n = ids.Length;
        for (var i = 0; i < n; i++)
        {
            var id = ids[i];
            if (id < 0) continue;
            var aoc = releases[i].AddOns;
            if (aoc is null) continue;
            var (start, end) = aoc.Rows(id);
            if (start == end) continue;
            var day = days[i];
            var type = 0;
            var firstRow = -1;
            var satisfied = false;
            for (var r = start; r < end && !satisfied; r++)
            {
                if (!aoc.EditInForce(r, day)) continue;
                if (firstRow < 0) { firstRow = r; type = aoc.Type[r]; }
                if (!aoc.PrimaryInForce(r, day)) continue;
                var primary = aoc.Primary[r];
                for (var j = 0; j < n; j++)
                    if (j != i && ids[j] == primary && days[j] == day) { satisfied = true; break; }
            }
            if (firstRow < 0) continue; // not an add-on code on this date
            if (type == (int)AddOnType.Type2 || !satisfied)
            {
                var listed = new List<HcpcsCode>();
                for (var r = start; r < end; r++)
                    if (aoc.EditInForce(r, day) && aoc.PrimaryInForce(r, day)) listed.Add(report.Codes.CodeOf(aoc.Primary[r]));
                var edit = aoc.Row(firstRow, report.Codes, id);
                report.Add(Explain.AddOn(report.Claim, i, edit, (AddOnType)type, CodeRange.Compress(listed), satisfied,
                    Source(releases[i], TableNames.AddOn)));
            }
        }
    }

    private static void CheckMue(Claim claim, ReadOnlySpan<int> ids, ReadOnlySpan<ushort> days, Release[] releases, FindingList report)
    {
        var table = TableNames.MueFor(claim.Setting);
        var n = ids.Length;
        Span<bool> done = n <= StackLines ? stackalloc bool[n] : new bool[n];
        Span<int> group = n <= StackLines ? stackalloc int[n] : new int[n];
        for (var i = 0; i < n; i++)
        {
            if (done[i] || ids[i] < 0) continue;
            var count = 0;
            var total = 0;
            for (var j = i; j < n; j++)
            {
                if (done[j] || ids[j] != ids[i] || days[j] != days[i]) continue;
                done[j] = true;
                group[count++] = j;
                total += claim.Lines[j].Units;
            }
            var mue = releases[i].Mue(table);
            if (mue is not null && WithinLimit(mue, ids[i], claim, group[..count], total)) continue; // the common case: no finding, no allocation
            var limit = mue?.Find(ids[i], report.Codes);
            var source = Source(releases[i], table.Name());
            var lineNumbers = group[..count].ToArray();
            if (limit is null)
            {
                report.Add(Explain.NoMue(claim, lineNumbers, total, source, tableLoaded: mue is not null));
            }
            else if (limit.Value == 0)
            {
                report.Add(Explain.MueZero(claim, lineNumbers, total, limit, source));
            }
            else if (limit.Adjudication == MueAdjudication.Line)
            {
                foreach (var j in lineNumbers)
                    if (claim.Lines[j].Units > limit.Value) report.Add(Explain.MueLine(claim, j, limit, source));
            }
            else if (total > limit.Value)
            {
                report.Add(Explain.MueDateOfService(claim, lineNumbers, total, limit, source));
            }
        }
    }

    private static bool WithinLimit(MueIndex mue, int id, Claim claim, ReadOnlySpan<int> group, int total)
    {
        var value = mue.Value[id];
        if (value <= 0) return false; // no published MUE (-1) or not payable (0): both are findings
        if ((MueAdjudication)mue.Adjudication[id] != MueAdjudication.Line) return total <= value;
        foreach (var j in group)
            if (claim.Lines[j].Units > value) return false;
        return true;
    }

    private void CheckPacks(Claim claim, ReadOnlySpan<ushort> days, FindingList report)
    {
        var lines = claim.Lines;
        var n = lines.Count;
        foreach (var pack in _packs)
        {
            for (var i = 0; i < n; i++)
            {
                if (!pack.AppliesTo(claim.Setting, NcciDate.FromDay(days[i]))) continue;
                foreach (var rule in pack.Rules)
                {
                    if (rule.Code != lines[i].Code) continue;
                    switch (rule)
                    {
                        case PackAddOnRule addOn:
                            var satisfied = false;
                            for (var j = 0; j < n && !satisfied; j++)
                                satisfied = j != i && days[j] == days[i] && addOn.PrimarySet.Contains(lines[j].Code);
                            if (!satisfied) report.Add(Explain.PackAddOn(claim, i, addOn, pack));
                            break;
                        case PackNotWithRule notWith:
                            for (var j = 0; j < n; j++)
                                if (j != i && days[j] == days[i] && notWith.CodeSet.Contains(lines[j].Code))
                                    report.Add(Explain.PackNotWith(claim, i, j, notWith, pack));
                            break;
                    }
                }
            }
        }
    }

    private static RuleSource Source(Release release, string table) => release.SourceFor(table);

    private static RuleSource[] SourcesOf(Release release, Setting setting)
    {
        var tables = new[] { TableNames.PtpFor(setting).Name(), TableNames.AddOn, TableNames.MueFor(setting).Name() };
        return tables.Where(t => release.Component(t) is not null).Select(t => Source(release, t)).ToArray();
    }

    private IReadOnlyList<RuleSource> ReleasesUsed(Release[] releases, Setting setting)
    {
        var first = releases[0];
        var single = true;
        foreach (var r in releases) if (!ReferenceEquals(r, first)) { single = false; break; }
        if (single) return _sources[(first, setting)];
        return releases.Distinct().OrderBy(r => r.EffectiveFrom).SelectMany(r => _sources[(r, setting)]).ToArray();
    }

    /// <summary>Collects findings and sorts them the same way whatever the order they were found in.</summary>
    private sealed class FindingList(Claim claim, CodeIndex codes)
    {
        private List<Finding>? _items;
        public Claim Claim { get; } = claim;
        public CodeIndex Codes { get; } = codes;

        public void Add(Finding finding) => (_items ??= []).Add(finding);

        public IReadOnlyList<Finding> Sorted()
        {
            if (_items is null) return [];
            _items.Sort(static (a, b) =>
            {
                var c = b.Severity.CompareTo(a.Severity);
                if (c != 0) return c;
                c = a.Lines[0].CompareTo(b.Lines[0]);
                if (c != 0) return c;
                c = a.Kind.CompareTo(b.Kind);
                if (c != 0) return c;
                c = string.CompareOrdinal(a.Rule, b.Rule);
                if (c != 0) return c;
                c = string.CompareOrdinal(string.Join(',', a.Codes), string.Join(',', b.Codes));
                return c != 0 ? c : string.CompareOrdinal(a.Source?.Release, b.Source?.Release);
            });
            return _items;
        }
    }
}
