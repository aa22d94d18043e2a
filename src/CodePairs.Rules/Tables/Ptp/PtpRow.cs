namespace CodePairs.Rules;

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
