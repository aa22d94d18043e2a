namespace CodePairs.Rules;

/// <summary>The packed byte a PTP row keeps beside its codes and dates: bits 0-1 the modifier indicator (0, 1, 2 = "9"),
/// bit 2 "in existence prior to 1996", bits 3-7 the index of its rationale in the table's vocabulary.</summary>
public readonly record struct PtpMeta(byte Value)
{
    /// <summary>How many distinct rationales one table version can name (5 bits).</summary>
    public const int MaxRationales = 32;

    public static PtpMeta Of(ModifierIndicator indicator, bool priorTo1996, int rationale)
    {
        if ((uint)rationale >= MaxRationales) throw new ArgumentOutOfRangeException(nameof(rationale), rationale, $"a PTP table names at most {MaxRationales} rationales");
        return new((byte)((indicator switch { ModifierIndicator.NotAllowed => 0, ModifierIndicator.Allowed => 1, _ => 2 })
                          | (priorTo1996 ? 4 : 0) | (rationale << 3)));
    }

    public ModifierIndicator Indicator => (Value & 3) switch
    {
        0 => ModifierIndicator.NotAllowed,
        1 => ModifierIndicator.Allowed,
        _ => ModifierIndicator.NotApplicable,
    };

    /// <summary>Indicator 9: the row is no edit on any date.</summary>
    public bool IsNoEdit => (Value & 3) == 2;

    /// <summary>Indicator 0: no modifier bypasses the edit.</summary>
    public bool IsStrict => (Value & 3) == 0;

    public bool PriorTo1996 => (Value & 4) != 0;
    public int Rationale => Value >> 3;

    public PtpMeta WithRationale(int rationale) => new((byte)((Value & 7) | (rationale << 3)));

    /// <summary>Whether the byte is one a PTP row can carry (indicator bits 0-2, rationale inside the vocabulary).</summary>
    public bool IsValid(int rationales) => (Value & 3) != 3 && Rationale < rationales;
}
