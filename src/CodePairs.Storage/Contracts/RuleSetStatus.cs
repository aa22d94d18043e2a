using System.Text.Json.Serialization;

namespace CodePairs.Storage;

/// <summary>Where a rule set (a set of table versions in force together) is: composed and loadable, serving, kept for
/// rollback, or past retention.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RuleSetStatus>))]
public enum RuleSetStatus
{
    [JsonStringEnumMemberName("verified")] Verified,
    [JsonStringEnumMemberName("active")] Active,
    [JsonStringEnumMemberName("retired")] Retired,
    [JsonStringEnumMemberName("deleted")] Deleted,
}
