namespace CodePairs.Rules;

/// <summary>The difference of two MUE indexes over one code index: values raised or lowered, MAI or rationale revised,
/// codes newly published or no longer published.</summary>
internal static class MueChanges
{
    public static List<TableChange> Between(MueIndex? a, MueIndex? b, CodeIndex codes, bool[]? filter)
    {
        var changes = new List<TableChange>();
        for (var id = 0; id < codes.Count; id++)
        {
            var va = a?.Value[id] ?? -1;
            var vb = b?.Value[id] ?? -1;
            if (va < 0 && vb < 0) continue;
            if (!TableChanges.Keep(filter, id, -1)) continue;
            var x = va < 0 ? null : Row(a!, id);
            var y = vb < 0 ? null : Row(b!, id);
            if (x == y) continue;
            var code = codes.TextOf(id);
            if (x is null) changes.Add(new TableChange(ChangeKind.Added, code, null, [], null, y));
            else if (y is null) changes.Add(new TableChange(ChangeKind.Removed, code, null, [], x, null));
            else
                changes.Add(new TableChange(vb > va ? ChangeKind.Raised : vb < va ? ChangeKind.Lowered : ChangeKind.Revised, code, null,
                    TableChanges.Fields(x, y), x, y));
        }
        return changes;
    }

    private static ChangeRow Row(MueIndex index, int id) => new()
    {
        Value = index.Value[id], AdjudicationIndicator = index.Adjudication[id], Rationale = index.Rationales[index.Rationale[id]],
    };
}
