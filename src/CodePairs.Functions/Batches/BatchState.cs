using System.Text.Json.Serialization;

namespace CodePairs.Functions.Batches;

[JsonConverter(typeof(JsonStringEnumConverter<BatchState>))]
public enum BatchState
{
    [JsonStringEnumMemberName("queued")] Queued,
    [JsonStringEnumMemberName("running")] Running,
    [JsonStringEnumMemberName("completed")] Completed,
    [JsonStringEnumMemberName("failed")] Failed,
}
