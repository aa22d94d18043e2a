using System.Text.Json;
using System.Text.Json.Serialization;

namespace CodePairs.Rules;

/// <summary>A rule from a custom pack: an add-on needing one of some primaries, or a code not to be reported with others.
/// A rule may have its own window inside the pack's (<see cref="From"/>, <see cref="To"/> = last day in force): rules
/// begin when the instruction they come from began.</summary>
public abstract record PackRule(HcpcsCode Code, string Rationale)
{
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }

    public bool InForce(DateOnly dos) => (From is not { } from || from <= dos) && (To is not { } to || dos <= to);
}

/// <summary>"<see cref="PackRule.Code"/> is an add-on code: report it only with one of <see cref="Primaries"/> on the same DOS."</summary>
public sealed record PackAddOnRule(HcpcsCode Code, IReadOnlyList<CodeRange> Primaries, string Rationale) : PackRule(Code, Rationale)
{
    internal HashSet<HcpcsCode> PrimarySet { get; } = [.. Primaries.SelectMany(r => r.Expand())];

    /// <summary>The primaries compressed back into ranges, for explanations.</summary>
    internal IReadOnlyList<string> PrimaryRanges => _primaryRanges ??= CodeRange.Compress(PrimarySet).Select(r => r.ToString()).ToArray();
    private IReadOnlyList<string>? _primaryRanges;
}

/// <summary>"Do not report <see cref="PackRule.Code"/> with any of <see cref="Codes"/> on the same DOS" — the pack's code is the one denied.</summary>
public sealed record PackNotWithRule(HcpcsCode Code, IReadOnlyList<CodeRange> Codes, string Rationale) : PackRule(Code, Rationale)
{
    internal HashSet<HcpcsCode> CodeSet { get; } = [.. Codes.SelectMany(r => r.Expand())];
}

/// <summary>A named, versioned set of extra rules for a partner or payer, in force over a window and for some settings.</summary>
public sealed record RulePack(
    string Name,
    string Version,
    DateOnly EffectiveFrom,
    DateOnly? EffectiveTo,
    IReadOnlySet<Setting> Settings,
    IReadOnlyList<PackRule> Rules)
{
    public bool AppliesTo(Setting setting, DateOnly dos) => Settings.Contains(setting) && NcciDate.InForce(EffectiveFrom, EffectiveTo, dos);

    public RuleSource Source => _source ??= new RuleSource("pack", Version, EffectiveFrom, Name);
    private RuleSource? _source;

    /// <summary>The pack CodePairs ships, built from the 77003 page in NCCI.md.</summary>
    public static RulePack Fluoroscopy77003 => Embedded("cpt-77003");

    /// <summary>A pack shipped inside the engine, by name (the file name without <c>.json</c>).</summary>
    public static RulePack Embedded(string name) => RulePackReader.ReadEmbedded(name + ".json");
}

/// <summary>The rule-pack JSON document (schema in the README).</summary>
public static class RulePackReader
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = false,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static RulePack Read(Stream json, string sourceName = "pack")
    {
        PackDocument? doc;
        try
        {
            doc = JsonSerializer.Deserialize<PackDocument>(json, Options);
        }
        catch (JsonException e)
        {
            throw new RulePackException(sourceName, [$"not valid pack JSON: {e.Message}"]);
        }
        return FromDocument(doc ?? throw new RulePackException(sourceName, ["the document is empty"]), sourceName);
    }

    public static RulePack Read(string json, string sourceName = "pack")
        => Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)), sourceName);

    internal static RulePack ReadEmbedded(string file)
    {
        using var stream = typeof(RulePack).Assembly.GetManifestResourceStream($"CodePairs.Rules.Packs.{file}")
            ?? throw new ArgumentException($"no rule pack named '{Path.GetFileNameWithoutExtension(file)}' ships with CodePairs");
        return Read(stream, file);
    }

    private static RulePack FromDocument(PackDocument doc, string source)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(doc.Name)) problems.Add("name: is required");
        var version = string.IsNullOrWhiteSpace(doc.Version) ? "1" : doc.Version!;
        DateOnly from = default;
        DateOnly? to = null;
        if (doc.Effective?.From is not { } fromText) problems.Add("effective.from: is required (YYYY-MM-DD)");
        else if (!ClaimParser.TryParseDate(fromText, out from, out var r1)) problems.Add($"effective.from: {r1}");
        if (doc.Effective?.To is { } toText)
        {
            if (ClaimParser.TryParseDate(toText, out var t, out var r2)) to = t;
            else problems.Add($"effective.to: {r2}");
        }
        if (to is { } end && end < from) problems.Add("effective.to: is before effective.from");

        var settings = new HashSet<Setting>();
        foreach (var s in doc.Settings ?? ["practitioner", "hospital"])
        {
            if (SettingNames.TryParse(s, out var setting)) settings.Add(setting);
            else problems.Add($"settings: '{s}' is not a setting (practitioner, hospital)");
        }

        var rules = new List<PackRule>();
        if (doc.Name is { Length: > 64 } || (doc.Name is { } n && !n.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
            problems.Add("name: 1-64 letters, digits, '-', '_' or '.'");
        if (doc.Rules is null || doc.Rules.Count == 0) problems.Add("rules: a pack needs at least one rule");
        for (var i = 0; i < (doc.Rules?.Count ?? 0); i++)
        {
            var rule = doc.Rules![i];
            var at = $"rules[{i}]";
            if (rule is null) { problems.Add($"{at}: is null; a rule is an object with type and code"); continue; }
            if (!HcpcsCode.TryParse(rule.Code ?? "", out var code, out var codeError)) { problems.Add($"{at}.code: {codeError}"); continue; }
            var rationale = rule.Rationale ?? "";
            var (ruleFrom, ruleTo) = RuleWindow(rule.Effective, at, from, to, problems);
            switch (rule.Type)
            {
                case "addOn":
                    var primaries = Ranges(rule.Primaries, $"{at}.primaries", problems);
                    if (primaries is not null) rules.Add(new PackAddOnRule(code, primaries, rationale) { From = ruleFrom, To = ruleTo });
                    break;
                case "notWith":
                    var codes = Ranges(rule.Codes, $"{at}.codes", problems);
                    if (codes is not null) rules.Add(new PackNotWithRule(code, codes, rationale) { From = ruleFrom, To = ruleTo });
                    break;
                default:
                    problems.Add($"{at}.type: '{rule.Type}' is not a rule type (addOn, notWith)");
                    break;
            }
        }
        if (problems.Count > 0) throw new RulePackException(source, problems);
        return new RulePack(doc.Name!, version, from, to, settings, rules);
    }

    /// <summary>A rule's own window: optional, and inside the pack's.</summary>
    private static (DateOnly? From, DateOnly? To) RuleWindow(EffectiveDocument? effective, string at, DateOnly packFrom, DateOnly? packTo, List<string> problems)
    {
        if (effective is null) return (null, null);
        DateOnly? from = null, to = null;
        if (effective.From is { } f)
        {
            if (ClaimParser.TryParseDate(f, out var d, out var reason)) from = d;
            else problems.Add($"{at}.effective.from: {reason}");
        }
        if (effective.To is { } t)
        {
            if (ClaimParser.TryParseDate(t, out var d, out var reason)) to = d;
            else problems.Add($"{at}.effective.to: {reason}");
        }
        if (from is { } a && to is { } b && b < a) problems.Add($"{at}.effective.to: is before effective.from");
        if (from is { } x && x < packFrom) problems.Add($"{at}.effective.from: {x:yyyy-MM-dd} is before the pack's effective.from {packFrom:yyyy-MM-dd}");
        if (to is { } y && packTo is { } end && y > end) problems.Add($"{at}.effective.to: {y:yyyy-MM-dd} is after the pack's effective.to {end:yyyy-MM-dd}");
        return (from, to);
    }

    private static List<CodeRange>? Ranges(List<string>? texts, string at, List<string> problems)
    {
        if (texts is null || texts.Count == 0)
        {
            problems.Add($"{at}: at least one code or range is required");
            return null;
        }
        var ranges = new List<CodeRange>();
        var ok = true;
        for (var j = 0; j < texts.Count; j++)
        {
            if (CodeRange.TryParse(texts[j], out var range, out var error)) ranges.Add(range);
            else { problems.Add($"{at}[{j}]: {error}"); ok = false; }
        }
        return ok ? ranges : null;
    }

    private sealed class PackDocument
    {
        [JsonPropertyName("$schema")] public string? Schema { get; set; }
        [JsonPropertyName("name")] public string? Name { get; set; }
        [JsonPropertyName("version")] public string? Version { get; set; }
        [JsonPropertyName("description")] public string? Description { get; set; }
        [JsonPropertyName("effective")] public EffectiveDocument? Effective { get; set; }
        [JsonPropertyName("settings")] public List<string>? Settings { get; set; }
        [JsonPropertyName("rules")] public List<RuleDocument>? Rules { get; set; }
    }

    private sealed class EffectiveDocument
    {
        [JsonPropertyName("from")] public string? From { get; set; }
        [JsonPropertyName("to")] public string? To { get; set; }
    }

    private sealed class RuleDocument
    {
        [JsonPropertyName("type")] public string? Type { get; set; }
        [JsonPropertyName("code")] public string? Code { get; set; }
        [JsonPropertyName("primaries")] public List<string>? Primaries { get; set; }
        [JsonPropertyName("codes")] public List<string>? Codes { get; set; }
        [JsonPropertyName("rationale")] public string? Rationale { get; set; }
        [JsonPropertyName("effective")] public EffectiveDocument? Effective { get; set; }
    }
}

/// <summary>A rule pack that cannot be used, with every problem found.</summary>
public sealed class RulePackException(string source, IReadOnlyList<string> problems)
    : Exception($"rule pack {source} is invalid: {string.Join("; ", problems)}")
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
