namespace CodePairs.Rules;

/// <summary>The rows of one AOC table version as they are read; <see cref="RuleSetBuilder"/> turns them into an
/// <see cref="AddOnIndex"/>.</summary>
public sealed class AddOnRows
{
    internal readonly List<AddOnRow> Rows = [];

    public int Count => Rows.Count;

    /// <summary>The rows collected so far, in arrival order.</summary>
    public IReadOnlyList<AddOnRow> Collected => Rows;

    /// <summary>Adds a row. Type 2 rows carry no primary (<c>CCCCC</c>); type 1 rows list one; type 3 rows list one or
    /// carry <c>CCCCC</c>. A deletion date before the effective date is kept: the row is never in force.</summary>
    public void Add(in AddOnRow row)
    {
        if (row.AddOn.IsEmpty) throw new ArgumentException("an add-on row needs an add-on code");
        if (row.Type is not (AddOnType.Type1 or AddOnType.Type2 or AddOnType.Type3))
            throw new ArgumentException($"add-on {row.AddOn}: edit type must be 1, 2 or 3");
        if (row.Type == AddOnType.Type1 && row.Primary.IsEmpty)
            throw new ArgumentException($"type 1 add-on {row.AddOn} needs a listed primary code");
        if (row.Type == AddOnType.Type2 && !row.Primary.IsEmpty)
            throw new ArgumentException($"type 2 add-on {row.AddOn} lists primary {row.Primary}; type 2 rows carry CCCCC");
        Rows.Add(row);
    }

    public void AddRange(IEnumerable<AddOnRow> rows)
    {
        foreach (var row in rows) Add(row);
    }

    internal void MarkCodes(HashSet<int> packed)
    {
        foreach (var a in Rows)
        {
            packed.Add(a.AddOn.Packed);
            if (!a.Primary.IsEmpty) packed.Add(a.Primary.Packed);
        }
    }

    internal AddOnIndex Build(CodeIndex codes)
    {
        var ordered = Rows.Select((row, i) => (row, i, id: codes.Find(row.AddOn))).OrderBy(x => x.id).ThenBy(x => x.i).ToArray();
        var n = ordered.Length;
        var offsets = new int[codes.Count + 1];
        var primary = new ushort[n];
        var type = new byte[n];
        var aocDel = new ushort[n];
        var primDel = new ushort[n];
        var eff = new ushort[n];
        var del = new ushort[n];
        var notes = new string?[n];
        for (var k = 0; k < n; k++)
        {
            var (row, _, id) = ordered[k];
            offsets[id + 1]++;
            primary[k] = row.Primary.IsEmpty ? CodeIndex.None : (ushort)codes.Find(row.Primary);
            type[k] = (byte)row.Type;
            aocDel[k] = NcciDate.ToDay(row.AddOnDeletion);
            primDel[k] = NcciDate.ToDay(row.PrimaryDeletion);
            eff[k] = NcciDate.ToDay(row.EditEffective);
            del[k] = NcciDate.ToDay(row.EditDeletion);
            notes[k] = string.IsNullOrWhiteSpace(row.Notes) ? null : string.Intern(row.Notes);
        }
        for (var i = 1; i < offsets.Length; i++) offsets[i] += offsets[i - 1];
        return new AddOnIndex(offsets, primary, type, aocDel, primDel, eff, del, notes);
    }
}
