namespace CodePairs.Rules;

/// <summary>The add-on code table of one release: for each add-on code id, its rows (one per listed primary, or one
/// <c>CCCCC</c> row for type 2) in parallel arrays.</summary>
internal sealed class AddOnIndex
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
