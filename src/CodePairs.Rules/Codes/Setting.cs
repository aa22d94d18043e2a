using System.Text.Json.Serialization;

namespace CodePairs.Rules;

/// <summary>Where the service was billed: decides which PTP and MUE tables apply.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Setting>))]
public enum Setting : byte
{
    /// <summary>Practitioner services (also ASCs): the <c>ccipra</c> PTP table and the practitioner MUE table.</summary>
    [JsonStringEnumMemberName("practitioner")] Practitioner,
    /// <summary>Outpatient hospital: the <c>ccioph</c> PTP table and the outpatient-hospital MUE table.</summary>
    [JsonStringEnumMemberName("hospital")] Hospital,
}

/// <summary>The one parser of a billing setting's name (claims, queries, batch lines, rule packs, configuration) and the
/// words of its problem.</summary>
public static class SettingNames
{
    /// <summary>The names a setting is given in: what a problem asks for.</summary>
    public const string Expected = "'practitioner' or 'hospital'";

    /// <summary><c>practitioner</c> or <c>hospital</c>, in any case, around blanks.</summary>
    /// <param name="aliases">Also <c>asc</c> (practitioner) and <c>outpatient</c> (hospital): the words the batch
    /// default setting has always taken in configuration. Partner input takes only the two names.</param>
    public static bool TryParse(string? text, out Setting setting, bool aliases = false)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "practitioner": setting = Setting.Practitioner; return true;
            case "hospital": setting = Setting.Hospital; return true;
            case "asc" when aliases: setting = Setting.Practitioner; return true;
            case "outpatient" when aliases: setting = Setting.Hospital; return true;
            default: setting = default; return false;
        }
    }

    /// <summary>The reason for a text that is not a setting (quote it clipped when it comes from a partner).</summary>
    public static string NotASetting(string text) => $"'{text}' is not a setting: use {Expected}";

    public static string ToName(this Setting setting) => setting == Setting.Hospital ? "hospital" : "practitioner";
}
