using CodePairs.Rules.Snapshots;

namespace CodePairs.Rules;

/// <summary>One AOC table version: for each add-on code id, its rows (one per listed primary, or a <c>CCCCC</c> row)
/// in parallel arrays, in file order.</summary>
internal sealed class AddOnIndex : ITableIndex
{
    internal AddOnIndex(int[] offsets, ushort[] primary, byte[] type, ushort[] addOnDeletion, ushort[] primaryDeletion,
        ushort[] editEffective, ushort[] editDeletion, string?[] notes)
    {
        Offsets = offsets;
        Primary = primary;
        Type = type;
        AddOnDeletion = addOnDeletion;
        PrimaryDeletion = primaryDeletion;
        EditEffective = editEffective;
        EditDeletion = editDeletion;
        Notes = notes;
    }

    public TableKind Kind => TableKind.AddOn;

    internal int[] Offsets { get; }
    /// <summary>Primary code id, or <see cref="CodeIndex.None"/> for the CCCCC placeholder.</summary>
    internal ushort[] Primary { get; }
    internal byte[] Type { get; }
    internal ushort[] AddOnDeletion { get; }
    internal ushort[] PrimaryDeletion { get; }
    internal ushort[] EditEffective { get; }
    internal ushort[] EditDeletion { get; }
    internal string?[] Notes { get; }

    public int RowCount => Primary.Length;

    public int RowsNeverInForce
    {
        get
        {
            var n = 0;
            for (var r = 0; r < EditEffective.Length; r++) if (EditDeletion[r] < EditEffective[r]) n++;
            return n;
        }
    }

    public long IndexBytes => Offsets.Length * 4L + RowCount * 12L;

    internal (int Start, int End) Rows(int addOn) => (Offsets[addOn], Offsets[addOn + 1]);

    /// <summary>The row is an edit on the day: the edit window and the add-on code's own deletion date cover it.</summary>
    internal bool EditInForce(int row, ushort day)
        => NcciDate.InForce(EditEffective[row], EditDeletion[row], day) && day <= AddOnDeletion[row];

    /// <summary>The row's primary is a listed, undeleted primary on the day.</summary>
    internal bool PrimaryInForce(int row, ushort day) => Primary[row] != CodeIndex.None && day <= PrimaryDeletion[row];

    internal AddOnEdit Row(int row, CodeIndex codes, int addOn) => new(
        codes.CodeOf(addOn),
        NcciDate.FromDayOrOpen(AddOnDeletion[row]),
        Primary[row] == CodeIndex.None ? default : codes.CodeOf(Primary[row]),
        NcciDate.FromDayOrOpen(PrimaryDeletion[row]),
        (AddOnType)Type[row],
        NcciDate.FromDay(EditEffective[row]),
        NcciDate.FromDayOrOpen(EditDeletion[row]),
        Notes[row]);

    public void MarkCodes(Span<bool> used)
    {
        for (var a = 0; a < Offsets.Length - 1; a++)
            if (Offsets[a + 1] > Offsets[a]) used[a] = true;
        foreach (var p in Primary)
            if (p != CodeIndex.None) used[p] = true;
    }

    public ITableIndex Remap(ReadOnlySpan<ushort> map, int codeCount)
    {
        var offsets = new int[codeCount + 1];
        for (var i = 0; i < map.Length; i++)
            if (Offsets[i + 1] > Offsets[i]) offsets[map[i] + 1] = Offsets[i + 1] - Offsets[i];
        for (var i = 1; i < offsets.Length; i++) offsets[i] += offsets[i - 1];
        var primary = new ushort[Primary.Length];
        for (var i = 0; i < primary.Length; i++) primary[i] = Primary[i] == CodeIndex.None ? CodeIndex.None : map[Primary[i]];
        return new AddOnIndex(offsets, primary, Type, AddOnDeletion, PrimaryDeletion, EditEffective, EditDeletion, Notes);
    }

    public void Write(SnapshotWriter w)
    {
        w.Array<int>(Offsets);
        w.Array<ushort>(Primary);
        w.Array<byte>(Type);
        w.Array<ushort>(AddOnDeletion);
        w.Array<ushort>(PrimaryDeletion);
        w.Array<ushort>(EditEffective);
        w.Array<ushort>(EditDeletion);
        w.Int(Notes.Length);
        foreach (var n in Notes) w.OptionalString(n);
    }

    internal static AddOnIndex Read(ref SnapshotReader r, int codes)
    {
        var offsets = SnapshotChecks.Offsets(ref r, codes);
        var primary = SnapshotChecks.Ids(ref r, codes, offsets[^1], allowNone: true);
        var rows = primary.Length;
        var type = r.Array<byte>(rows);
        foreach (var t in type)
            if (t is < 1 or > 3) throw r.Corrupt($"an add-on row has type {t}");
        var aocDel = r.Array<ushort>(rows);
        var primDel = r.Array<ushort>(rows);
        var eff = r.Array<ushort>(rows);
        var del = r.Array<ushort>(rows);
        if (r.Count(rows) != rows) throw r.Corrupt("add-on notes do not match the rows");
        var notes = new string?[rows];
        for (var i = 0; i < rows; i++) notes[i] = r.OptionalString() is { } n ? string.Intern(n) : null;
        return new AddOnIndex(offsets, primary, type, aocDel, primDel, eff, del, notes);
    }
}

/// <summary>An AOC row read back from a rule set. <see cref="Primary"/> is empty for CCCCC.</summary>
public sealed record AddOnEdit(
    HcpcsCode AddOn,
    DateOnly? AddOnDeletion,
    HcpcsCode Primary,
    DateOnly? PrimaryDeletion,
    AddOnType Type,
    DateOnly EditEffective,
    DateOnly? EditDeletion,
    string? Notes);
