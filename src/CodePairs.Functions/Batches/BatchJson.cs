using System.Text.Json;
using System.Text.Json.Serialization;

namespace CodePairs.Functions.Batches;

/// <summary>The JSON files a batch keeps in its output folder (camelCase, nulls omitted).</summary>
public static class BatchJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
