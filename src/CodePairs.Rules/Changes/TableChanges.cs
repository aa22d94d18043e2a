namespace CodePairs.Rules;

/// <summary>
/// The difference between two versions of one table, or between the versions of a table in force on two dates, for
/// the codes a partner cares about. Between versions every row is compared (history included: a row that gained a
/// deletion date is <see cref="ChangeKind.Deleted"/>); between dates only what is in force on each date (so within one
/// version, rows whose windows end or begin between the dates show as deleted or added).
/// </summary>
public static class TableChanges
{
    /// <summary>The changes from <paramref name="from"/> to <paramref name="to"/>, two versions of one table held by
    /// <paramref name="rules"/>; a change is kept when either of its codes is in <paramref name="codes"/> (all when null).</summary>
    public static ChangeReport Between(RuleSet rules, TableVersion from, TableVersion to, IReadOnlyList<CodeRange>? codes = null)
    {
        if (!ReferenceEquals(from.Codes, rules.Codes) || !ReferenceEquals(to.Codes, rules.Codes))
            throw new ArgumentException("both versions must be held by the rule set");
        return Between(from, to, codes);
    }

    /// <summary>The changes from <paramref name="from"/> to <paramref name="to"/>, two versions of one table from any
    /// rule sets (even two versions that start on the same day: a reissue); versions over different code indexes are
    /// first remapped onto the union of the codes they name.</summary>
    public static ChangeReport Between(TableVersion from, TableVersion to, IReadOnlyList<CodeRange>? codes = null)
    {
        if (from.Table != to.Table) throw new ArgumentException($"{from.Table.Name()} and {to.Table.Name()} are different tables");
        if (!ReferenceEquals(from.Codes, to.Codes))
        {
            var union = new HashSet<int>();
            foreach (var v in new[] { from, to })
            {
                Span<bool> used = new bool[v.Codes.Count];
                v.Index.MarkCodes(used);
                for (var id = 0; id < used.Length; id++) if (used[id]) union.Add(v.Codes.CodeOf(id).Packed);
            }
            var sorted = union.ToArray();
            Array.Sort(sorted);
            var shared = new CodeIndex(sorted);
            (from, to) = (RuleSet.Rebind(from, shared), RuleSet.Rebind(to, shared));
        }
        var index = from.Codes;
        var filter = Filter(index, codes);
        var changes = from.Kind switch
        {
            TableKind.Ptp => PtpChanges.Between((PtpIndex)from.Index, (PtpIndex)to.Index, index, filter, null),
            TableKind.AddOn => AddOnChanges.Between((AddOnIndex)from.Index, (AddOnIndex)to.Index, index, filter, null),
            _ => MueChanges.Between((MueIndex)from.Index, (MueIndex)to.Index, index, filter),
        };
        return new ChangeReport(from.Table, from.Version, to.Version, changes);
    }

    /// <summary>The changes of <paramref name="table"/> between what is in force on <paramref name="from"/> and on
    /// <paramref name="to"/> (each date judged by the version in force on it).</summary>
    public static ChangeReport Between(RuleSet rules, TableId table, DateOnly from, DateOnly to, IReadOnlyList<CodeRange>? codes = null)
    {
        var a = rules.VersionFor(table, from);
        var b = rules.VersionFor(table, to);
        var label = (DateOnly d, TableVersion? v) => $"{d:yyyy-MM-dd} ({v?.Version ?? "no version in force"})";
        if (a is null && b is null) return new ChangeReport(table, label(from, a), label(to, b), []);
        var filter = Filter(rules.Codes, codes);
        var days = (NcciDate.ToDay(from), NcciDate.ToDay(to));
        IReadOnlyList<TableChange> changes = table.Kind() switch
        {
            TableKind.Ptp => PtpChanges.Between((PtpIndex?)a?.Index, (PtpIndex?)b?.Index, rules.Codes, filter, days),
            TableKind.AddOn => AddOnChanges.Between((AddOnIndex?)a?.Index, (AddOnIndex?)b?.Index, rules.Codes, filter, days),
            _ => MueChanges.Between((MueIndex?)a?.Index, (MueIndex?)b?.Index, rules.Codes, filter),
        };
        return new ChangeReport(table, label(from, a), label(to, b), changes);
    }

    /// <summary>The changes of <paramref name="table"/> from <paramref name="from"/> to <paramref name="to"/>, each a
    /// version the rule set holds (<c>v322r0</c>, <c>AOC_V2026Q2</c>, <c>2026-10-01</c>) or a date (YYYY-MM-DD): two
    /// versions are compared row by row, two dates by what is in force on each, a version and a date by the version and
    /// the one in force on the date. False with the problems (field, reason) when a side names neither.</summary>
    public static bool TryBetween(RuleSet rules, TableId table, string? from, string? to, IReadOnlyList<CodeRange>? codes,
        out ChangeReport? report, out IReadOnlyList<(string Field, string Reason)> problems)
    {
        var found = new List<(string, string)>();
        var a = Resolve(rules, table, from, "from", found);
        var b = Resolve(rules, table, to, "to", found);
        problems = found;
        report = null;
        if (found.Count > 0) return false;
        if (a!.Value.Date is { } d1 && b!.Value.Date is { } d2) report = Between(rules, table, d1, d2, codes);
        else
        {
            var va = a!.Value.Version ?? rules.VersionFor(table, a.Value.Date!.Value);
            var vb = b!.Value.Version ?? rules.VersionFor(table, b.Value.Date!.Value);
            if (va is null || vb is null)
            {
                found.Add((va is null ? "from" : "to", $"no {table.Name()} version is in force on {(va is null ? a.Value.Date : b.Value.Date):yyyy-MM-dd}"));
                return false;
            }
            report = Between(rules, va, vb, codes);
        }
        return true;
    }

    private static (TableVersion? Version, DateOnly? Date)? Resolve(RuleSet rules, TableId table, string? text, string field, List<(string, string)> problems)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            problems.Add((field, "is required: a version of the table or a date YYYY-MM-DD"));
            return null;
        }
        var version = rules.VersionsOf(table).FirstOrDefault(v => v.Version.Equals(text.Trim(), StringComparison.OrdinalIgnoreCase));
        if (version is not null) return (version, null);
        if (ClaimParser.TryParseDate(text.Trim(), out var date, out _)) return (null, date);
        var held = rules.VersionsOf(table);
        problems.Add((field, $"'{(text.Length > 40 ? text[..40] + "…" : text)}' is neither a date YYYY-MM-DD nor a {table.Name()} version held " +
                             $"({(held.Count == 0 ? "none is loaded" : string.Join(", ", held.Select(v => v.Version)))})"));
        return null;
    }

    /// <summary>Parses a code list as people write it (<c>77003,62320-62329</c>); null or empty = every code.</summary>
    public static bool TryParseCodes(string? text, out IReadOnlyList<CodeRange>? codes, out string? error)
    {
        codes = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        var list = new List<CodeRange>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!CodeRange.TryParse(part, out var range, out var reason)) { error = reason; return false; }
            list.Add(range);
        }
        if (list.Count > 1000) { error = "at most 1,000 codes or ranges"; return false; }
        codes = list;
        return true;
    }

    /// <summary>Per code id, whether a change naming it is kept (null: every code).</summary>
    private static bool[]? Filter(CodeIndex codes, IReadOnlyList<CodeRange>? ranges)
    {
        if (ranges is null || ranges.Count == 0) return null;
        var keep = new bool[codes.Count];
        for (var id = 0; id < keep.Length; id++)
        {
            var code = codes.CodeOf(id);
            foreach (var r in ranges) if (r.Contains(code)) { keep[id] = true; break; }
        }
        return keep;
    }

    internal static bool Keep(bool[]? filter, int a, int b) => filter is null || filter[a] || (b >= 0 && b < filter.Length && filter[b]);

    internal static IReadOnlyList<string> Fields(ChangeRow a, ChangeRow b)
    {
        var fields = new List<string>(2);
        if (a.Effective != b.Effective) fields.Add("effective");
        if (a.Deletion != b.Deletion) fields.Add("deletion");
        if (a.ModifierIndicator != b.ModifierIndicator) fields.Add("modifierIndicator");
        if (a.PriorTo1996 != b.PriorTo1996) fields.Add("priorTo1996");
        if (a.Rationale != b.Rationale) fields.Add("rationale");
        if (a.Type != b.Type) fields.Add("type");
        if (a.AddOnDeletion != b.AddOnDeletion) fields.Add("addOnDeletion");
        if (a.PrimaryDeletion != b.PrimaryDeletion) fields.Add("primaryDeletion");
        if (a.Notes != b.Notes) fields.Add("notes");
        if (a.Value != b.Value) fields.Add("value");
        if (a.AdjudicationIndicator != b.AdjudicationIndicator) fields.Add("adjudicationIndicator");
        return fields;
    }

    /// <summary>Pairs the rows of one key (a PTP pair, an add-on/primary) of two versions: identical rows are unchanged;
    /// then rows with the same effective date are the same row, changed (deleted when only a deletion date arrived);
    /// what is left is added or removed.</summary>
    internal static void MatchRows(List<ChangeRow> before, List<ChangeRow> after, string code, string? other, List<TableChange> into)
    {
        for (var i = before.Count - 1; i >= 0; i--)
        {
            var j = after.FindIndex(b => b == before[i]);
            if (j < 0) continue;
            before.RemoveAt(i);
            after.RemoveAt(j);
        }
        foreach (var a in before.ToArray())
        {
            var j = after.FindIndex(b => b.Effective == a.Effective);
            if (j < 0) continue;
            var b = after[j];
            after.RemoveAt(j);
            before.Remove(a);
            var fields = Fields(a, b);
            var kind = fields is ["deletion"] && a.Deletion is null ? ChangeKind.Deleted : ChangeKind.Revised;
            into.Add(new TableChange(kind, code, other, fields, a, b));
        }
        foreach (var b in after) into.Add(new TableChange(ChangeKind.Added, code, other, [], null, b));
        foreach (var a in before) into.Add(new TableChange(ChangeKind.Removed, code, other, [], a, null));
    }
}
