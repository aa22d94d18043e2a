using System.Text.Json;
using System.Text.Json.Serialization;
using CodePairs.Rules;

namespace CodePairs.Functions.Http;

/// <summary>Source-generated JSON metadata for the hot request and response types (no reflection per call).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ClaimInput))]
[JsonSerializable(typeof(ClaimResponse))]
[JsonSerializable(typeof(PairQuery))]
[JsonSerializable(typeof(PairResponse))]
[JsonSerializable(typeof(CodeProfile))]
[JsonSerializable(typeof(HealthResponse))]
public sealed partial class CodePairsJson : JsonSerializerContext;
