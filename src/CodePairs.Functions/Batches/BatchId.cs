using System.Buffers.Text;
using System.Text;

namespace CodePairs.Functions.Batches;

/// <summary>
/// The name of a batch input blob, checked: 1–<see cref="MaxLength"/> characters, path segments separated by
/// <c>/</c>, each starting with an ASCII letter or digit and holding only letters, digits, <c>.</c>, <c>_</c> and
/// <c>-</c>. So no <c>.</c> or <c>..</c> segment, no <c>\</c>, <c>%</c>, control character or empty segment can
/// reach a storage path: the output folder <c>&lt;name&gt;.&lt;etag&gt;/</c> always stays inside the output container.
/// </summary>
public readonly record struct BatchBlobName
{
    public const int MaxLength = 256;

    /// <summary>The shape, for problem details and docs.</summary>
    public const string Shape = "1-256 characters; path segments separated by '/', each starting with a letter or digit and made of ASCII letters, digits, '.', '_' and '-'";

    private BatchBlobName(string value) => Value = value;

    public string Value { get; }

    public override string ToString() => Value;

    /// <summary>Parses a name; on failure <paramref name="reason"/> says what is wrong without quoting the name.</summary>
    public static bool TryParse(string? text, out BatchBlobName name, out string reason)
    {
        name = default;
        reason = Check(text);
        if (reason.Length > 0) return false;
        name = new BatchBlobName(text!);
        return true;
    }

    public static BatchBlobName Parse(string? text)
        => TryParse(text, out var name, out var reason) ? name : throw new ArgumentException($"not a batch blob name: {reason}", nameof(text));

    private static string Check(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "the name is empty";
        if (text.Length > MaxLength) return $"the name is longer than {MaxLength} characters";
        foreach (var segment in text.Split('/'))
        {
            if (segment.Length == 0) return "the name has an empty path segment (a leading, trailing or doubled '/')";
            if (!char.IsAsciiLetterOrDigit(segment[0])) return "a path segment does not start with a letter or digit (so no '.' or '..' segment)";
            foreach (var c in segment)
                if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
                    return c switch
                    {
                        '\\' => "the name holds '\\'",
                        '%' => "the name holds '%' (percent-encoding is not decoded)",
                        _ when char.IsControl(c) => "the name holds a control character",
                        _ => "the name holds a character other than ASCII letters, digits, '.', '_', '-' and '/'",
                    };
        }
        return "";
    }
}

/// <summary>An ETag as batch names use it: without quotes, 1–64 ASCII letters and digits (Azure's are <c>0x8DC…</c>).</summary>
public readonly record struct BatchETag
{
    public const int MaxLength = 64;

    private BatchETag(string value) => Value = value;

    public string Value { get; }

    public override string ToString() => Value;

    public static bool TryParse(string? text, out BatchETag etag)
    {
        etag = default;
        var tag = text?.Trim('"');
        if (string.IsNullOrEmpty(tag) || tag.Length > MaxLength || !tag.All(char.IsAsciiLetterOrDigit)) return false;
        etag = new BatchETag(tag);
        return true;
    }

    public static BatchETag Parse(string? text)
        => TryParse(text, out var etag) ? etag : throw new ArgumentException("not an ETag of 1-64 letters and digits", nameof(text));
}

/// <summary>
/// A batch id: the canonical base64url (no padding) of the input blob's name, a dot, its ETag. Only ids whose name
/// is a <see cref="BatchBlobName"/> and whose ETag is a <see cref="BatchETag"/> parse; anything else (a <c>..</c>
/// segment, <c>/</c> or <c>\</c> in the id, percent-encoding, a non-canonical or overlong encoding) does not.
/// </summary>
public readonly record struct BatchId(BatchBlobName Name, BatchETag ETag)
{
    /// <summary>The longest id a valid name and ETag make (base64url of 256 ASCII characters, a dot, 64).</summary>
    public const int MaxLength = (BatchBlobName.MaxLength * 4 + 2) / 3 + 1 + BatchETag.MaxLength;

    public const string Shape = "base64url (no padding) of the input blob's name, a dot, its ETag (as returned by POST /api/v1/batches)";

    public override string ToString() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Name.Value)) + "." + ETag.Value;

    public static bool TryParse(string? text, out BatchId id, out string reason)
    {
        id = default;
        reason = "";
        if (string.IsNullOrEmpty(text)) { reason = "the id is empty"; return false; }
        if (text.Length > MaxLength) { reason = $"the id is longer than {MaxLength} characters"; return false; }
        var dot = text.LastIndexOf('.');
        if (dot <= 0 || dot == text.Length - 1) { reason = "the id has no '<name>.<etag>' form"; return false; }
        var encoded = text.AsSpan(0, dot);
        foreach (var c in encoded)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) { reason = "the name part is not base64url"; return false; }
        if (!BatchETag.TryParse(text[(dot + 1)..], out var etag)) { reason = "the ETag part is not 1-64 letters and digits"; return false; }
        string decoded;
        try { decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Base64Url.DecodeFromChars(encoded)); }
        catch (Exception e) when (e is FormatException or ArgumentException) { reason = "the name part is not base64url of UTF-8 text"; return false; }
        if (!BatchBlobName.TryParse(decoded, out var name, out var nameReason)) { reason = "the name it encodes is not a batch name: " + nameReason; return false; }
        id = new BatchId(name, etag);
        if (!encoded.SequenceEqual(id.ToString().AsSpan(0, dot))) { id = default; reason = "the name part is not in canonical base64url"; return false; }
        return true;
    }
}
