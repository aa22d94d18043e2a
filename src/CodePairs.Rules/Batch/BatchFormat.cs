using System.Text.Json.Serialization;

namespace CodePairs.Rules.Batch;

/// <summary>CSV and JSON Lines count input lines; <see cref="X12"/> (837P/837I) counts claims (CLM segments). The JSON
/// names are the ones a batch's plan, status and summary show (<c>csv</c>, <c>jsonl</c>, <c>x12</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BatchFormat>))]
public enum BatchFormat
{
    [JsonStringEnumMemberName("csv")] Csv,
    [JsonStringEnumMemberName("jsonl")] JsonLines,
    [JsonStringEnumMemberName("x12")] X12,
}
