using System.Text.Json.Serialization;

namespace CodePairs.Rules;

/// <summary>How serious a finding is, least to most.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Severity>))]
public enum Severity
{
    /// <summary>Worth knowing; the claim is still clean (e.g. an edit bypassed by a modifier, no published MUE).</summary>
    [JsonStringEnumMemberName("info")] Info,
    /// <summary>May be denied depending on the contractor or documentation.</summary>
    [JsonStringEnumMemberName("warning")] Warning,
    /// <summary>Will be denied unless an allowed modifier is appended (where clinically supported).</summary>
    [JsonStringEnumMemberName("bypassable")] Bypassable,
    /// <summary>Will be denied as billed.</summary>
    [JsonStringEnumMemberName("deny")] Deny,
}
