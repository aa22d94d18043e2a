namespace CodePairs.Rules;

/// <summary>The add-on code edit types.</summary>
public enum AddOnType : byte
{
    /// <summary>Payable only with one of the CMS-listed primaries on the same DOS.</summary>
    Type1 = 1,
    /// <summary>CMS lists no primaries (<c>CCCCC</c>); the contractor defines them.</summary>
    Type2 = 2,
    /// <summary>Some primaries listed by CMS; the contractor may accept others. A type-3 row may carry <c>CCCCC</c> too
    /// (no listed primary on that row: the contractor decides).</summary>
    Type3 = 3,
}

/// <summary>One row of the AOC file. <see cref="Primary"/> is empty for the <c>CCCCC</c> placeholder (no listed primary).</summary>
public readonly record struct AddOnRow(
    HcpcsCode AddOn,
    DateOnly? AddOnDeletion,
    HcpcsCode Primary,
    DateOnly? PrimaryDeletion,
    AddOnType Type,
    DateOnly EditEffective,
    DateOnly? EditDeletion,
    string? Notes = null);
