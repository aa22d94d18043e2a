using System.Text.Json.Serialization;

namespace CodePairs.Rules;

/// <summary>A question about two codes billed together, as a partner asks it (the pair route's query string or JSON
/// body): all text, nothing trusted yet. <see cref="PairReport.Parse"/> turns it into a two-line claim.</summary>
public sealed class PairQuery
{
    [JsonPropertyName("dateOfService")] public string? DateOfService { get; set; }
    [JsonPropertyName("setting")] public string? Setting { get; set; }
    [JsonPropertyName("modifiers1")] public List<string>? Modifiers1 { get; set; }
    [JsonPropertyName("modifiers2")] public List<string>? Modifiers2 { get; set; }
}
