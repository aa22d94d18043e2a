namespace CodePairs.Rules;

/// <summary>A PTP row of the pair, and whether it is an edit on the date asked about.</summary>
public sealed record PairEdit(string Column1, string Column2, int ModifierIndicator, DateOnly Effective, DateOnly? Deletion,
    string Rationale, bool PriorTo1996, bool InForce)
{
    public static PairEdit Of(PtpEdit edit, DateOnly dateOfService)
        => new(edit.Column1.ToString(), edit.Column2.ToString(), (int)edit.Indicator, edit.Effective, edit.Deletion, edit.Rationale,
            edit.PriorTo1996, edit.InForceOn(dateOfService));
}
