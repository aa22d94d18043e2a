using System.Text.Json.Serialization;

namespace CodePairs.Storage;

/// <summary>Where a table version is: being written, written and checked (its rows and snapshot can serve), or past
/// retention (its rows deleted).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<VersionStatus>))]
public enum VersionStatus
{
    [JsonStringEnumMemberName("loading")] Loading,
    [JsonStringEnumMemberName("verified")] Verified,
    [JsonStringEnumMemberName("deleted")] Deleted,
}
