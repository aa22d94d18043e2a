using System.Globalization;
using System.Text.Json;

namespace CodePairs.Rules;

/// <summary>
/// The fast path from a claim's JSON (the <see cref="ClaimInput"/> shape) straight to a <see cref="Claim"/>: one pass of
/// <see cref="Utf8JsonReader"/>, no intermediate object graph, no strings but the claim id. It accepts only what the
/// serializer + <see cref="ClaimParser"/> path would turn into the same claim, and says no to everything else (unknown,
/// repeated or differently cased properties, numbers as strings, any invalid field, malformed JSON), so the caller can
/// run that reference path for its exact problem. Both paths agree on every claim the fast one accepts (a test compares
/// them on generated valid and invalid claims).
/// </summary>
public static class ClaimJsonReader
{
    private const int MaxTextChars = 64; // longer codes, modifiers, dates or settings are invalid anyway: let the reference path word it

    /// <summary>True with the claim when <paramref name="json"/> is one well-formed, valid claim in the canonical shape.</summary>
    public static bool TryRead(ReadOnlySpan<byte> json, int maxLines, out Claim? claim)
    {
        claim = null;
        try
        {
            // A UTF-8 byte order mark before the claim is not part of it (the reference path drops it too).
            if (json.StartsWith("\uFEFF"u8)) json = json[3..];
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            Span<char> text = stackalloc char[MaxTextChars];
            if (!ReadClaim(ref reader, maxLines, text, out claim)) return false;
            // Nothing but whitespace may follow the claim (the reader throws on anything else).
            if (reader.Read()) { claim = null; return false; }
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            claim = null; // malformed JSON or text that is not UTF-8: the reference path words the problem
            return false;
        }
    }

    [ThreadStatic] private static List<ClaimLine>? _lines;

    private static bool ReadClaim(ref Utf8JsonReader reader, int maxLines, scoped Span<char> text, out Claim? claim)
    {
        claim = null;
        string? claimId = null;
        Setting? setting = null;
        DateOnly? claimDate = null;
        List<ClaimLine>? lines = null;
        var scratch = _lines ??= [];
        var seen = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                if (setting is null || lines is null || lines.Count == 0) return false;
                DateOnly date;
                if (claimDate is { } d) date = d;
                else
                {
                    // Without a claim-level date every line carries its own; the claim's date is the earliest.
                    date = DateOnly.MaxValue;
                    foreach (var line in lines)
                    {
                        if (line.DateOfService is not { } ld) return false;
                        if (ld < date) date = ld;
                    }
                }
                claim = new Claim(setting.Value, date, lines.ToArray(), claimId);
                lines.Clear();
                return true;
            }
            var property = Property(ref reader);
            if (property == 0 || (seen & property) != 0) return false;
            seen |= property;
            if (!reader.Read()) return false;
            switch (property)
            {
                case ClaimIdProperty:
                    if (reader.TokenType == JsonTokenType.Null) break;
                    if (reader.TokenType != JsonTokenType.String) return false;
                    claimId = reader.GetString();
                    if (claimId!.Length > ClaimLimits.MaxClaimIdLength) return false;
                    break;
                case SettingProperty:
                    if (reader.TokenType != JsonTokenType.String) return false;
                    if (reader.ValueTextEquals("practitioner"u8)) setting = Setting.Practitioner;
                    else if (reader.ValueTextEquals("hospital"u8)) setting = Setting.Hospital;
                    else return false;
                    break;
                case DateProperty:
                    if (reader.TokenType == JsonTokenType.Null) break;
                    if (!Date(ref reader, text, out var date)) return false;
                    claimDate = date;
                    break;
                case LinesProperty:
                    if (reader.TokenType != JsonTokenType.StartArray) return false;
                    lines = scratch;
                    lines.Clear();
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (lines.Count == maxLines || reader.TokenType != JsonTokenType.StartObject) return false;
                        if (!ReadLine(ref reader, text, out var line)) return false;
                        lines.Add(line!);
                    }
                    break;
            }
        }
        return false;
    }

    private const int ClaimIdProperty = 1, SettingProperty = 2, DateProperty = 4, LinesProperty = 8;
    private const int CodeProperty = 1, ModifiersProperty = 2, UnitsProperty = 4, LineDateProperty = 8;

    private static int Property(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.PropertyName) return 0;
        if (reader.ValueTextEquals("claimId"u8)) return ClaimIdProperty;
        if (reader.ValueTextEquals("setting"u8)) return SettingProperty;
        if (reader.ValueTextEquals("dateOfService"u8)) return DateProperty;
        if (reader.ValueTextEquals("lines"u8)) return LinesProperty;
        return 0;
    }

    private static int LineProperty(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.PropertyName) return 0;
        if (reader.ValueTextEquals("code"u8)) return CodeProperty;
        if (reader.ValueTextEquals("units"u8)) return UnitsProperty;
        if (reader.ValueTextEquals("modifiers"u8)) return ModifiersProperty;
        if (reader.ValueTextEquals("dateOfService"u8)) return LineDateProperty;
        return 0;
    }

    private static bool ReadLine(ref Utf8JsonReader reader, scoped Span<char> text, out ClaimLine? line)
    {
        line = null;
        HcpcsCode? code = null;
        Modifier[] modifiers = [];
        var units = 1;
        DateOnly? date = null;
        var seen = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                if (code is null) return false;
                line = new ClaimLine(code.Value, modifiers, units, date);
                return true;
            }
            var property = LineProperty(ref reader);
            if (property == 0 || (seen & property) != 0) return false;
            seen |= property;
            if (!reader.Read()) return false;
            switch (property)
            {
                case CodeProperty:
                    if (!Text(ref reader, text, out var length) || !HcpcsCode.TryParse(text[..length], out var parsed)) return false;
                    code = parsed;
                    break;
                case UnitsProperty:
                    if (reader.TokenType == JsonTokenType.Null) break;
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out units) || units < 1 || units > ClaimLimits.MaxUnits) return false;
                    break;
                case LineDateProperty:
                    if (reader.TokenType == JsonTokenType.Null) break;
                    if (!Date(ref reader, text, out var d)) return false;
                    date = d;
                    break;
                case ModifiersProperty:
                    if (reader.TokenType == JsonTokenType.Null) break;
                    if (!Modifiers(ref reader, text, out modifiers)) return false;
                    break;
            }
        }
        return false;
    }

    private static bool Modifiers(ref Utf8JsonReader reader, scoped Span<char> text, out Modifier[] modifiers)
    {
        modifiers = [];
        if (reader.TokenType != JsonTokenType.StartArray) return false;
        Span<Modifier> found = stackalloc Modifier[Modifier.MaxPerLine];
        int entries = 0, count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (++entries > Modifier.MaxPerLine) return false;
            if (reader.TokenType == JsonTokenType.Null) continue; // null and "" entries are skipped, as the parser does
            if (!Text(ref reader, text, out var length)) return false;
            if (length == 0) continue;
            if (!Modifier.TryParse(text[..length], out var modifier, out _)) return false;
            found[count++] = modifier;
        }
        if (count > 0) modifiers = found[..count].ToArray();
        return true;
    }

    private static bool Date(ref Utf8JsonReader reader, scoped Span<char> text, out DateOnly date)
    {
        date = default;
        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && !reader.HasValueSequence && Canonical(reader.ValueSpan, out date))
            return NcciDate.IsSupported(date);
        return Text(ref reader, text, out var length)
               && DateOnly.TryParseExact(text[..length], ClaimParser.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out date)
               && NcciDate.IsSupported(date);
    }

    /// <summary>yyyy-MM-dd as ten ASCII bytes naming a real day (what the exact parse accepts, without its cost).</summary>
    private static bool Canonical(ReadOnlySpan<byte> s, out DateOnly date)
    {
        date = default;
        if (s.Length != 10 || s[4] != '-' || s[7] != '-') return false;
        int year = Digit(s[0]) * 1000 + Digit(s[1]) * 100 + Digit(s[2]) * 10 + Digit(s[3]), month = Digit(s[5]) * 10 + Digit(s[6]), day = Digit(s[8]) * 10 + Digit(s[9]);
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        date = new DateOnly(year, month, day);
        return true;
    }

    private static int Digit(byte b) => (uint)(b - '0') <= 9 ? b - '0' : -100_000; // a non-digit makes the field negative

    /// <summary>A short string value, unescaped into <paramref name="text"/>; false for anything else.</summary>
    private static bool Text(ref Utf8JsonReader reader, scoped Span<char> text, out int length)
    {
        length = 0;
        if (reader.TokenType != JsonTokenType.String) return false;
        if (!reader.ValueIsEscaped && !reader.HasValueSequence && reader.ValueSpan.Length <= text.Length && System.Text.Ascii.IsValid(reader.ValueSpan))
        {
            // Plain ASCII (codes, modifiers): widen the bytes, no transcoding.
            System.Text.Ascii.ToUtf16(reader.ValueSpan, text, out length);
            return true;
        }
        var bytes = reader.HasValueSequence ? int.MaxValue : reader.ValueSpan.Length;
        if (bytes > MaxTextChars * 6) return false;
        try
        {
            length = reader.CopyString(text);
            return true;
        }
        catch (ArgumentException)
        {
            return false; // longer than the buffer: not a valid code, modifier or date
        }
    }
}
