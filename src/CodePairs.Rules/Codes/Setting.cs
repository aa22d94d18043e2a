namespace CodePairs.Rules;

/// <summary>Where the service was billed: decides which PTP and MUE tables apply.</summary>
public enum Setting : byte
{
    /// <summary>Practitioner services (also ASCs): the <c>ccipra</c> PTP table and the practitioner MUE table.</summary>
    Practitioner,
    /// <summary>Outpatient hospital: the <c>ccioph</c> PTP table and the outpatient-hospital MUE table.</summary>
    Hospital,
}

public static class SettingNames
{
    public static bool TryParse(string? text, out Setting setting)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "practitioner": setting = Setting.Practitioner; return true;
            case "hospital": setting = Setting.Hospital; return true;
            default: setting = default; return false;
        }
    }

    public static string ToName(this Setting setting) => setting == Setting.Hospital ? "hospital" : "practitioner";
}
