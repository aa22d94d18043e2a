using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CodePairs.Functions.Http;

/// <summary>
/// Words a <see cref="JsonException"/> from the serializer for a partner: for JSON that does not parse, where it breaks
/// (the reader's message: position and path, never the body's content); for JSON that parses but does not fit, which
/// field (its JSON path) is wrong and what it must be — "$.lines[0].units must be a whole number" — never a .NET type.
/// </summary>
public static class JsonProblem
{
    /// <summary>A UTF-8 byte order mark: some clients put one before a JSON body; it is not part of the JSON.</summary>
    public static ReadOnlySpan<byte> WithoutBom(ReadOnlySpan<byte> json) => json.StartsWith("\uFEFF"u8) ? json[3..] : json;

    /// <summary>The problem in plain words, for the body shaped as <paramref name="root"/>.</summary>
    public static string Describe(JsonException e, Type root, JsonSerializerOptions options)
    {
        // The reader's own errors (malformed JSON) reach the serializer's caller wrapped, with the path added.
        if (e.InnerException is JsonException) return e.Message;
        if (e.Path is not { } path) return "it does not fit the request's shape.";
        var (found, type) = Walk(path, options.GetTypeInfo(root), options);
        return found ? $"{path} must be {Words(type!, options)}." : $"{path} is not a field of this request (see openapi.yaml).";
    }

    /// <summary>Follows a JSON path (<c>$.a[0].b</c>, <c>$['a b']</c>) through the request's type: the type at its end, or
    /// false when a property on the way is none of its type's.</summary>
    private static (bool Found, Type? Type) Walk(string path, JsonTypeInfo info, JsonSerializerOptions options)
    {
        var i = path.StartsWith('$') ? 1 : 0;
        while (i < path.Length)
        {
            string? name = null;
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                name = path[(i + 1)..(end < 0 ? path.Length : end)];
                i = end < 0 ? path.Length : end;
            }
            else if (path[i] == '[' && i + 1 < path.Length && path[i + 1] == '\'')
            {
                var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                if (end < 0) return (true, info.Type);
                name = path[(i + 2)..end];
                i = end + 2;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                i = end < 0 ? path.Length : end + 1;
                if (info.ElementType is not { } element) return (true, info.Type);
                info = options.GetTypeInfo(element);
                continue;
            }
            else return (true, info.Type);

            var property = info.Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
            if (property is null) return info.Kind == JsonTypeInfoKind.Object ? (false, null) : (true, info.Type);
            info = options.GetTypeInfo(property.PropertyType);
        }
        return (true, info.Type);
    }

    private static string Words(Type type, JsonSerializerOptions options)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return "a string";
        if (type == typeof(bool)) return "true or false";
        if (type == typeof(DateOnly)) return "a date (yyyy-MM-dd)";
        if (type.IsEnum) return "one of " + string.Join(", ", Enum.GetNames(type).Select(n => JsonNamingPolicy.CamelCase.ConvertName(n)));
        switch (Type.GetTypeCode(type))
        {
            case TypeCode.Byte or TypeCode.SByte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32 or TypeCode.Int64 or TypeCode.UInt64:
                return "a whole number";
            case TypeCode.Single or TypeCode.Double or TypeCode.Decimal:
                return "a number";
        }
        var info = options.GetTypeInfo(type);
        return info.Kind switch
        {
            JsonTypeInfoKind.Enumerable when info.ElementType is { } element => "an array of " + Plural(Words(element, options)),
            JsonTypeInfoKind.Dictionary or JsonTypeInfoKind.Object => "an object",
            _ => "a JSON value of another kind",
        };
    }

    private static string Plural(string words) => words switch
    {
        "a string" => "strings",
        "a whole number" => "whole numbers",
        "a number" => "numbers",
        "an object" => "objects",
        "true or false" => "true or false values",
        _ => words,
    };
}
