using System.Text.Json.Serialization;

namespace CodePairs.Rules;

[JsonConverter(typeof(JsonStringEnumConverter<FindingKind>))]
public enum FindingKind
{
    [JsonStringEnumMemberName("ptp")] Ptp,
    [JsonStringEnumMemberName("addOn")] AddOn,
    [JsonStringEnumMemberName("mue")] Mue,
    [JsonStringEnumMemberName("invalidInput")] InvalidInput,
}
