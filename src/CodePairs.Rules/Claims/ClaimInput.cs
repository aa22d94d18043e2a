using System.Globalization;
using System.Text.Json.Serialization;

namespace CodePairs.Rules;

/// <summary>A claim as a partner sends it (the JSON shape in NCCI.md): all text, nothing trusted yet.</summary>
public sealed class ClaimInput
{
    [JsonPropertyName("claimId")] public string? ClaimId { get; set; }
    [JsonPropertyName("setting")] public string? Setting { get; set; }
    [JsonPropertyName("dateOfService")] public string? DateOfService { get; set; }
    [JsonPropertyName("lines")] public List<ClaimLineInput>? Lines { get; set; }
}

public sealed class ClaimLineInput
{
    [JsonPropertyName("code")] public string? Code { get; set; }
    [JsonPropertyName("modifiers")] public List<string>? Modifiers { get; set; }
    [JsonPropertyName("units")] public int? Units { get; set; }
    [JsonPropertyName("dateOfService")] public string? DateOfService { get; set; }
}

/// <summary>A problem with one field of the input. <see cref="Line"/> is 1-based, null for claim-level fields.</summary>
public sealed record InputError(int? Line, string Field, string Reason)
{
    public override string ToString() => Line is { } l ? $"line {l}: {Field}: {Reason}" : $"{Field}: {Reason}";
}

/// <summary>Turns partner input into a <see cref="Claim"/>, collecting every problem rather than stopping at the first.</summary>
public static class ClaimParser
{
    public const string DateFormat = "yyyy-MM-dd";

    public static (Claim? Claim, IReadOnlyList<InputError> Errors) Parse(ClaimInput input, Setting? defaultSetting = null, int maxLines = ClaimLimits.MaxLines)
    {
        var errors = new List<InputError>();
        if (input.ClaimId is { Length: > ClaimLimits.MaxClaimIdLength })
            errors.Add(new InputError(null, "claimId", $"must be at most {ClaimLimits.MaxClaimIdLength} characters"));

        Setting setting = defaultSetting ?? Setting.Practitioner;
        if (input.Setting is not null)
        {
            if (!SettingNames.TryParse(input.Setting, out setting))
                errors.Add(new InputError(null, "setting", SettingNames.NotASetting(Clip(input.Setting))));
        }
        else if (defaultSetting is null)
        {
            errors.Add(new InputError(null, "setting", $"is required: {SettingNames.Expected}"));
        }

        DateOnly claimDate = default;
        var hasClaimDate = input.DateOfService is not null && TryParseDate(input.DateOfService, "dateOfService", null, errors, out claimDate);

        var lines = input.Lines;
        if (lines is null || lines.Count == 0)
            errors.Add(new InputError(null, "lines", "a claim needs at least one line"));
        else if (lines.Count > maxLines)
            errors.Add(new InputError(null, "lines", $"a claim may have at most {maxLines} lines; this one has {lines.Count}"));

        var parsed = new List<ClaimLine>();
        if (lines is not null && lines.Count <= maxLines)
        {
            for (var i = 0; i < lines.Count; i++)
            {
                var line = ParseLine(lines[i], i + 1, hasClaimDate, input.DateOfService is null, errors);
                if (line is not null) parsed.Add(line);
            }
        }

        if (errors.Count > 0) return (null, errors);
        // Without a claim-level date every line carries its own; the claim's date is then the earliest line date.
        if (!hasClaimDate) claimDate = parsed.Min(l => l.DateOfService!.Value);
        return (new Claim(setting, claimDate, parsed, input.ClaimId), errors);
    }

    private static ClaimLine? ParseLine(ClaimLineInput? line, int number, bool hasClaimDate, bool claimDateMissing, List<InputError> errors)
    {
        if (line is null)
        {
            errors.Add(new InputError(number, "line", "is null"));
            return null;
        }
        var before = errors.Count;
        HcpcsCode code = default;
        if (line.Code is null) errors.Add(new InputError(number, "code", "is required"));
        else if (!HcpcsCode.TryParse(line.Code, out code, out var codeError)) errors.Add(new InputError(number, "code", codeError));

        var modifiers = new List<Modifier>();
        if (line.Modifiers is { } mods)
        {
            if (mods.Count > Modifier.MaxPerLine)
                errors.Add(new InputError(number, "modifiers", $"a line carries at most {Modifier.MaxPerLine} modifiers; this one has {mods.Count}"));
            foreach (var m in mods)
            {
                if (string.IsNullOrEmpty(m)) continue;
                if (Modifier.TryParse(m, out var modifier, out var modError)) modifiers.Add(modifier);
                else errors.Add(new InputError(number, "modifiers", modError));
            }
        }

        var units = line.Units ?? 1;
        if (units < 1 || units > ClaimLimits.MaxUnits)
            errors.Add(new InputError(number, "units", $"must be a whole number from 1 to {ClaimLimits.MaxUnits}; got {units}"));

        DateOnly? dos = null;
        if (line.DateOfService is not null)
        {
            if (TryParseDate(line.DateOfService, "dateOfService", number, errors, out var d)) dos = d;
        }
        else if (!hasClaimDate && claimDateMissing)
        {
            errors.Add(new InputError(number, "dateOfService", "is required when the claim has no dateOfService"));
        }

        return errors.Count == before ? new ClaimLine(code, modifiers.ToArray(), units, dos) : null;
    }

    public static bool TryParseDate(string text, out DateOnly date, out string? reason)
    {
        reason = null;
        if (!DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            reason = $"'{Clip(text)}' is not a date in the form YYYY-MM-DD";
            return false;
        }
        if (!NcciDate.IsSupported(date))
        {
            reason = $"{text} is outside the supported range {NcciDate.MinDate:yyyy-MM-dd} to {NcciDate.MaxDate:yyyy-MM-dd}";
            return false;
        }
        return true;
    }

    private static bool TryParseDate(string text, string field, int? line, List<InputError> errors, out DateOnly date)
    {
        if (TryParseDate(text, out date, out var reason)) return true;
        errors.Add(new InputError(line, field, reason!));
        return false;
    }

    internal static string Clip(string s) => s.Length > 20 ? s[..20] + "…" : s;
}
