using CodePairs.Rules;

namespace CodePairs.Bench;

/// <summary>
/// The straightforward design the engine is measured against: string-keyed dictionaries of row objects, doing the
/// same checks (PTP windows, indicator, bypass modifiers; add-on primaries; MUE per line and per DOS) and returning
/// the rule and lines of each hit. No explanations are built, so the comparison flatters the baseline.
/// </summary>
internal sealed class DictionaryBaseline
{
    private sealed record Ptp(DateOnly Effective, DateOnly? Deletion, int Indicator, string Rationale);
    private sealed record AddOn(string Primary, int Type, DateOnly EditEffective, DateOnly? EditDeletion, DateOnly? AddOnDeletion, DateOnly? PrimaryDeletion);
    private sealed record Mue(int Value, int Mai);

    private readonly Dictionary<(string, string), List<Ptp>> _ptp = [];
    private readonly Dictionary<string, List<AddOn>> _addOns = [];
    private readonly Dictionary<string, Mue> _mue = [];
    private static readonly HashSet<string> Bypass = [.. NcciModifiers.Bypass.Select(m => m.ToString())];

    public DictionaryBaseline(IEnumerable<PtpRow> ptp, IEnumerable<AddOnRow> addOns, IEnumerable<MueRow> mue)
    {
        foreach (var r in ptp)
        {
            var key = (r.Column1.ToString(), r.Column2.ToString());
            if (!_ptp.TryGetValue(key, out var list)) _ptp[key] = list = [];
            list.Add(new Ptp(r.Effective, r.Deletion, (int)r.Indicator, r.Rationale));
        }
        foreach (var a in addOns)
        {
            var key = a.AddOn.ToString();
            if (!_addOns.TryGetValue(key, out var list)) _addOns[key] = list = [];
            list.Add(new AddOn(a.Primary.IsEmpty ? "CCCCC" : a.Primary.ToString(), (int)a.Type, a.EditEffective, a.EditDeletion, a.AddOnDeletion, a.PrimaryDeletion));
        }
        foreach (var m in mue) _mue[m.Code.ToString()] = new Mue(m.Value, (int)m.Adjudication);
    }

    public int PtpPairs => _ptp.Count;

    public List<(string Rule, int Line)> Validate(Claim claim)
    {
        var hits = new List<(string, int)>();
        var lines = claim.Lines;
        var codes = lines.Select(l => l.Code.ToString()).ToArray();
        var dates = lines.Select(l => l.DateOfService ?? claim.DateOfService).ToArray();
        for (var i = 0; i < lines.Count; i++)
        for (var j = 0; j < lines.Count; j++)
        {
            if (i == j || dates[i] != dates[j] || codes[i] == codes[j]) continue;
            if (!_ptp.TryGetValue((codes[i], codes[j]), out var rows)) continue;
            Ptp? best = null;
            foreach (var r in rows)
                if (r.Indicator != 9 && r.Effective <= dates[i] && (r.Deletion is null || dates[i] <= r.Deletion) && (best is null || r.Indicator == 0)) best = r;
            if (best is null) continue;
            var bypassed = best.Indicator == 1 && (lines[i].Modifiers.Any(m => Bypass.Contains(m.ToString())) || lines[j].Modifiers.Any(m => Bypass.Contains(m.ToString())));
            hits.Add((bypassed ? "ptp.bypassed" : best.Indicator == 0 ? "ptp.indicator-0" : "ptp.indicator-1", j + 1));
        }
        for (var i = 0; i < lines.Count; i++)
        {
            if (!_addOns.TryGetValue(codes[i], out var rows)) continue;
            var live = rows.Where(a => a.EditEffective <= dates[i] && (a.EditDeletion is null || dates[i] <= a.EditDeletion) && (a.AddOnDeletion is null || dates[i] <= a.AddOnDeletion)).ToList();
            if (live.Count == 0) continue;
            var satisfied = live.Any(a => a.Primary != "CCCCC" && (a.PrimaryDeletion is null || dates[i] <= a.PrimaryDeletion)
                                          && codes.Where((c, j) => j != i && dates[j] == dates[i]).Contains(a.Primary));
            if (live[0].Type == 2 || !satisfied) hits.Add(($"aoc.type-{live[0].Type}", i + 1));
        }
        foreach (var group in lines.Select((l, i) => (l, i)).GroupBy(x => (codes[x.i], dates[x.i])))
        {
            if (!_mue.TryGetValue(group.Key.Item1, out var mue)) { hits.Add(("mue.none-published", group.First().i + 1)); continue; }
            if (mue.Value == 0) hits.Add(("mue.not-payable", group.First().i + 1));
            else if (mue.Mai == 1) { foreach (var x in group) if (x.l.Units > mue.Value) hits.Add(("mue.line", x.i + 1)); }
            else if (group.Sum(x => x.l.Units) > mue.Value) hits.Add(("mue.dos", group.First().i + 1));
        }
        return hits;
    }
}
