using CodePairs.Rules.Cms;

namespace CodePairs.Rules.Generation;

public sealed partial class ReleaseGenerator
{
    /// <summary>
    /// The generated tables of this quarter and of the next one, where a seeded share of rows changed as CMS changes
    /// them — PTP edits deleted (a deletion date at the quarter's end), indicators revised, new pairs added; AOC rows
    /// deleted and added; MUE values raised and lowered, codes added and removed — with the list of those changes,
    /// which is what a change report between the two versions must say.
    /// </summary>
    /// <param name="share">The share of rows (or codes) changed per kind of change.</param>
    public (RuleSetBuilder Rules, IReadOnlyList<(TableId Table, TableChange Change)> Changes) WithNextQuarter(double share = 0.01)
    {
        var next = _o.EffectiveFrom.AddMonths(3);
        var lastDay = next.AddDays(-1);
        var nextId = CmsNames.PtpVersionFor(next);
        var b = new RuleSetBuilder();
        var changes = new List<(TableId, TableChange)>();
        var random = new Random(SubSeed(909));
        var ptpSet = _ptpCodes.Select(c => c.Packed).ToHashSet();
        var outsiders = _universe.Where(c => !ptpSet.Contains(c.Packed)).ToArray();

        foreach (var table in PtpTables)
        {
            var now = b.Ptp(table, _o.ReleaseId, _o.EffectiveFrom);
            var later = b.Ptp(table, nextId, next);
            (int, int) pair = default;
            var pairTouched = false;
            Ptp(table, (in PtpRow row, bool _) =>
            {
                now.Add(row);
                if ((row.Column1.Packed, row.Column2.Packed) != pair) (pair, pairTouched) = ((row.Column1.Packed, row.Column2.Packed), false);
                var changed = row;
                var u = random.NextDouble();
                if (!pairTouched && row.Indicator != ModifierIndicator.NotApplicable && row.Deletion is null && u < share)
                    changed = row with { Deletion = lastDay };
                else if (!pairTouched && row.Indicator != ModifierIndicator.NotApplicable && row.Deletion is null && u < 2 * share)
                    changed = row with { Indicator = row.Indicator == ModifierIndicator.Allowed ? ModifierIndicator.NotAllowed : ModifierIndicator.Allowed };
                later.Add(changed);
                if (changed == row) return;
                pairTouched = true;
                var (before, after) = (PtpChangeRow(row), PtpChangeRow(changed));
                changes.Add((table, new TableChange(changed.Deletion != row.Deletion ? ChangeKind.Deleted : ChangeKind.Revised,
                    row.Column1.ToString(), row.Column2.ToString(), changed.Deletion != row.Deletion ? ["deletion"] : ["modifierIndicator"], before, after)));
            });
            var added = (int)(now.Count * share);
            var seen = new HashSet<(int, int)>();
            while (seen.Count < added)
            {
                var c1 = _ptpCodes[random.Next(_ptpCodes.Length)];
                var c2 = outsiders[random.Next(outsiders.Length)];
                if (!seen.Add((c1.Packed, c2.Packed))) continue;
                var row = new PtpRow(c1, c2, false, next, null, random.Next(2) == 0 ? ModifierIndicator.NotAllowed : ModifierIndicator.Allowed, PtpRationales[random.Next(4)]);
                later.Add(row);
                changes.Add((table, new TableChange(ChangeKind.Added, c1.ToString(), c2.ToString(), [], null, PtpChangeRow(row))));
            }
        }

        if (Wants(TableId.AddOn))
        {
            var nextAoc = CmsNames.AddOnVersion(next);
            var now = b.AddOns(AddOnVersion, _o.EffectiveFrom);
            var later = b.AddOns(nextAoc, next);
            var addOnsSeen = new List<HcpcsCode>();
            foreach (var row in AddOns())
            {
                now.Add(row);
                if (addOnsSeen.Count == 0 || addOnsSeen[^1] != row.AddOn) addOnsSeen.Add(row.AddOn);
                var changed = row.EditDeletion is null && row.AddOnDeletion is null && random.NextDouble() < share * 5 ? row with { EditDeletion = lastDay } : row;
                later.Add(changed);
                if (changed != row)
                    changes.Add((TableId.AddOn, new TableChange(ChangeKind.Deleted, row.AddOn.ToString(), Primary(row), ["deletion"], AddOnChangeRow(row), AddOnChangeRow(changed))));
            }
            foreach (var addOn in addOnsSeen.Where(_ => random.NextDouble() < share * 5).Distinct())
            {
                var row = new AddOnRow(addOn, null, outsiders[random.Next(outsiders.Length)], null, AddOnType.Type3, next, null);
                if (later.Collected.Any(r => r.AddOn == row.AddOn && r.Primary == row.Primary)) continue;
                later.Add(row);
                changes.Add((TableId.AddOn, new TableChange(ChangeKind.Added, addOn.ToString(), row.Primary.ToString(), [], null, AddOnChangeRow(row))));
            }
        }

        foreach (var table in MueTables)
        {
            var now = b.Mue(table, MueVersion, _o.EffectiveFrom);
            var later = b.Mue(table, next.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), next);
            var rows = Mue(table).ToList();
            var held = rows.Select(r => r.Code.Packed).ToHashSet();
            foreach (var row in rows)
            {
                now.Add(row);
                var u = random.NextDouble();
                if (u < share)
                {
                    changes.Add((table, new TableChange(ChangeKind.Removed, row.Code.ToString(), null, [], MueChangeRow(row), null)));
                    continue;
                }
                var changed = u < 2 * share ? row with { Value = row.Value + 1 + random.Next(5) } : u < 3 * share && row.Value > 0 ? row with { Value = row.Value - 1 } : row;
                later.Add(changed);
                if (changed != row)
                    changes.Add((table, new TableChange(changed.Value > row.Value ? ChangeKind.Raised : ChangeKind.Lowered, row.Code.ToString(), null, ["value"],
                        MueChangeRow(row), MueChangeRow(changed))));
            }
            foreach (var code in _universe.Where(c => !held.Contains(c.Packed)).Where(_ => random.NextDouble() < share))
            {
                var row = new MueRow(code, 1 + random.Next(10), MueAdjudication.DateOfServiceClinical, MueRationales[0]);
                later.Add(row);
                changes.Add((table, new TableChange(ChangeKind.Added, code.ToString(), null, [], null, MueChangeRow(row))));
            }
        }
        return (b, changes);
    }

    private static string Primary(AddOnRow row) => row.Primary.IsEmpty ? AddOnWorkbook.Placeholder : row.Primary.ToString();

    private static ChangeRow PtpChangeRow(PtpRow r) => new()
    {
        Effective = r.Effective, Deletion = r.Deletion, ModifierIndicator = (int)r.Indicator, PriorTo1996 = r.PriorTo1996, Rationale = r.Rationale,
    };

    private static ChangeRow AddOnChangeRow(AddOnRow r) => new()
    {
        Type = (int)r.Type, Effective = r.EditEffective, Deletion = r.EditDeletion, AddOnDeletion = r.AddOnDeletion, PrimaryDeletion = r.PrimaryDeletion,
        Notes = string.IsNullOrWhiteSpace(r.Notes) ? null : r.Notes,
    };

    private static ChangeRow MueChangeRow(MueRow r) => new() { Value = r.Value, AdjudicationIndicator = (int)r.Adjudication, Rationale = r.Rationale };
}
