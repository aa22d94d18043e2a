using System.Text.Json;

namespace CodePairs.Storage;

/// <summary>An enum value's JSON name (its <c>[JsonStringEnumMemberName]</c>), where a value is stored or shown outside
/// JSON (a table property, a summary line), so every form of it reads the same.</summary>
public static class JsonNames
{
    public static string Of<T>(T value) where T : struct, Enum => JsonSerializer.Serialize(value)[1..^1];

    /// <summary>The value of a JSON name; <see cref="InvalidDataException"/> for a name the enum does not have.</summary>
    public static T Parse<T>(string name) where T : struct, Enum
    {
        try
        {
            return JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(name));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{name}' is not a {typeof(T).Name}", e);
        }
    }
}
