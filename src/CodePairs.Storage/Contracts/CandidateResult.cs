using System.Text.Json.Serialization;

namespace CodePairs.Storage;

/// <summary>What became of one candidate drop (see <see cref="CandidateOutcome"/>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CandidateResult>))]
public enum CandidateResult
{
    [JsonStringEnumMemberName("activated")] Activated,
    [JsonStringEnumMemberName("unchanged")] Unchanged,
    [JsonStringEnumMemberName("verified")] Verified,
    [JsonStringEnumMemberName("skipped")] Skipped,
    [JsonStringEnumMemberName("failed")] Failed,
}
