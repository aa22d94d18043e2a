namespace CodePairs.Rules;

/// <summary>The two PTP tables CMS publishes.</summary>
public enum PtpTable : byte
{
    /// <summary><c>ccipra</c>: practitioner services (also ASCs).</summary>
    Practitioner,
    /// <summary><c>ccioph</c>: outpatient hospital services.</summary>
    Hospital,
}

/// <summary>The PTP modifier indicator column.</summary>
public enum ModifierIndicator : byte
{
    /// <summary>0: no modifier bypasses the edit.</summary>
    NotAllowed = 0,
    /// <summary>1: an NCCI-associated modifier on either code may bypass the edit.</summary>
    Allowed = 1,
    /// <summary>9: not applicable — CMS's way of neutralising a row; the row is no edit.</summary>
    NotApplicable = 9,
}

/// <summary>One row of a PTP <c>.TXT</c> file, in its column order.</summary>
public readonly record struct PtpRow(
    HcpcsCode Column1,
    HcpcsCode Column2,
    bool PriorTo1996,
    DateOnly Effective,
    DateOnly? Deletion,
    ModifierIndicator Indicator,
    string Rationale);

/// <summary>The add-on code edit types.</summary>
public enum AddOnType : byte
{
    /// <summary>Payable only with one of the CMS-listed primaries on the same DOS.</summary>
    Type1 = 1,
    /// <summary>CMS lists no primaries (<c>CCCCC</c>); the contractor defines them.</summary>
    Type2 = 2,
    /// <summary>Some primaries listed by CMS; the contractor may accept others.</summary>
    Type3 = 3,
}

/// <summary>One row of the AOC file, in its column order. <see cref="Primary"/> is empty for the
/// <c>CCCCC</c> placeholder (type 2: CMS lists no primary).</summary>
public readonly record struct AddOnRow(
    HcpcsCode AddOn,
    DateOnly? AddOnDeletion,
    HcpcsCode Primary,
    DateOnly? PrimaryDeletion,
    AddOnType Type,
    DateOnly EditEffective,
    DateOnly? EditDeletion,
    string? Notes = null);

/// <summary>The three MUE tables CMS publishes.</summary>
public enum MueTable : byte
{
    Practitioner,
    Hospital,
    Dme,
}

/// <summary>The MUE adjudication indicator (MAI).</summary>
public enum MueAdjudication : byte
{
    /// <summary>1 Line Edit: units judged per claim line.</summary>
    Line = 1,
    /// <summary>2 Date of Service Edit: Policy — units summed over the DOS; absolute.</summary>
    DateOfServicePolicy = 2,
    /// <summary>3 Date of Service Edit: Clinical — units summed over the DOS; may be overturned on appeal.</summary>
    DateOfServiceClinical = 3,
}

/// <summary>One row of an MUE <c>.csv</c> file. MUE rows carry no dates: the table's effective date comes from the
/// file name and is held by the release.</summary>
public readonly record struct MueRow(HcpcsCode Code, int Value, MueAdjudication Adjudication, string Rationale);

public static class TableNames
{
    public static string Name(this PtpTable table) => table == PtpTable.Hospital ? "ptp-hospital" : "ptp-practitioner";
    public static string Name(this MueTable table) => table switch
    {
        MueTable.Hospital => "mue-hospital",
        MueTable.Dme => "mue-dme",
        _ => "mue-practitioner",
    };
    public const string AddOn = "aoc";
    public static PtpTable PtpFor(Setting setting) => setting == Setting.Hospital ? PtpTable.Hospital : PtpTable.Practitioner;
    public static MueTable MueFor(Setting setting) => setting == Setting.Hospital ? MueTable.Hospital : MueTable.Practitioner;
}
