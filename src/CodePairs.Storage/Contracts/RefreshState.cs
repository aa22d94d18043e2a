using System.Text.Json.Serialization;

namespace CodePairs.Storage;

/// <summary>Where the refresh job is: never run, running (a lease is held), or how its last run ended.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RefreshState>))]
public enum RefreshState
{
    [JsonStringEnumMemberName("idle")] Idle,
    [JsonStringEnumMemberName("running")] Running,
    [JsonStringEnumMemberName("succeeded")] Succeeded,
    [JsonStringEnumMemberName("failed")] Failed,
}
