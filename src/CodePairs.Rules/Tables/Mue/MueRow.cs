namespace CodePairs.Rules;

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

/// <summary>One row of an MUE <c>.csv</c> file. MUE rows carry no dates: the table version's effective date comes from
/// the file name.</summary>
public readonly record struct MueRow(HcpcsCode Code, int Value, MueAdjudication Adjudication, string Rationale);

public static class MueAdjudications
{
    /// <summary>The MAI as CMS writes it in the file (<c>2 Date of Service Edit: Policy</c>).</summary>
    public static string Text(this MueAdjudication mai) => mai switch
    {
        MueAdjudication.Line => "1 Line Edit",
        MueAdjudication.DateOfServicePolicy => "2 Date of Service Edit: Policy",
        _ => "3 Date of Service Edit: Clinical",
    };

    /// <summary>The MAI's name without its number (<c>Date of Service Edit: Policy</c>).</summary>
    public static string Name(this MueAdjudication mai) => mai.Text()[2..];
}
