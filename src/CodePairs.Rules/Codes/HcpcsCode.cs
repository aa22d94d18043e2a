using System.Diagnostics.CodeAnalysis;

namespace CodePairs.Rules;

/// <summary>The families of 5-character procedure codes that NCCI edits name.</summary>
public enum CodeKind : byte
{
    /// <summary>CPT Category I: five digits (anesthesia keeps leading zeros), or four digits + A (vaccine
    /// administration) or + M (multianalyte assays), both of which CMS files carry.</summary>
    CptCategoryI,
    /// <summary>CPT Category II: four digits + F.</summary>
    CptCategoryII,
    /// <summary>CPT Category III: four digits + T.</summary>
    CptCategoryIII,
    /// <summary>Proprietary laboratory analyses: four digits + U.</summary>
    CptPla,
    /// <summary>HCPCS Level II: a letter + four digits.</summary>
    HcpcsLevelII,
}

/// <summary>
/// A CPT/HCPCS code packed into 26 bits (base-36 of its five characters). Packing keeps string order, so
/// comparisons of <see cref="Packed"/> sort codes as their text sorts.
/// </summary>
public readonly record struct HcpcsCode : IComparable<HcpcsCode>, ISpanFormattable
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string SuffixLetters = "ATFUM";

    /// <summary>The base-36 value of the five characters; 0 is reserved for "no code" (00000 is not a code).</summary>
    public int Packed { get; }

    private HcpcsCode(int packed) => Packed = packed;

    internal static HcpcsCode FromPacked(int packed) => new(packed);

    /// <summary>Whether <paramref name="packed"/> is the packed value of a code the strict parser accepts (for packed
    /// codes read back from storage or a snapshot: a corrupt value never becomes a code).</summary>
    public static bool IsPacked(int packed)
    {
        const int limit = 36 * 36 * 36 * 36 * 36;
        if (packed is <= 0 or >= limit) return false;
        Span<char> s = stackalloc char[5];
        Write(s, packed);
        return TryParse(s, out var parsed, out _) && parsed.Packed == packed;
    }

    /// <summary>The code whose <see cref="Packed"/> value is <paramref name="packed"/>.</summary>
    /// <exception cref="FormatException">The value is not a packed 5-character code.</exception>
    public static HcpcsCode FromPackedChecked(int packed)
        => IsPacked(packed) ? new(packed) : throw new FormatException($"{packed} is not a packed CPT/HCPCS code");

    public bool IsEmpty => Packed == 0;

    public CodeKind Kind
    {
        get
        {
            var last = Packed % 36;
            var first = Packed / (36 * 36 * 36 * 36);
            if (first >= 10) return CodeKind.HcpcsLevelII;
            return last switch
            {
                < 10 => CodeKind.CptCategoryI,
                var l when Alphabet[l] == 'F' => CodeKind.CptCategoryII,
                var l when Alphabet[l] == 'T' => CodeKind.CptCategoryIII,
                var l when Alphabet[l] == 'U' => CodeKind.CptPla,
                _ => CodeKind.CptCategoryI,
            };
        }
    }

    public static HcpcsCode Parse(string text)
        => TryParse(text, out var code, out var error) ? code : throw new FormatException(error);

    public static bool TryParse(ReadOnlySpan<char> text, out HcpcsCode code)
        => TryParse(text, out code, out _);

    /// <summary>Strict parse: exactly five characters of one of the shapes in <see cref="CodeKind"/>.
    /// Lower-case letters are accepted and upper-cased; nothing else is forgiven.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out HcpcsCode code, [NotNullWhen(false)] out string? error)
    {
        code = default;
        if (text.Length != 5)
        {
            error = text.Length == 0
                ? "the code is empty"
                : $"'{Printable(text)}' is {text.Length} characters; a CPT/HCPCS code has exactly 5";
            return false;
        }

        int digitsInMiddle = 0;
        for (var i = 1; i < 4; i++) if (char.IsAsciiDigit(text[i])) digitsInMiddle++;
        var c0 = char.ToUpperInvariant(text[0]);
        var c4 = char.ToUpperInvariant(text[4]);
        var shapeOk = digitsInMiddle == 3 && (
            (char.IsAsciiDigit(c0) && (char.IsAsciiDigit(c4) || SuffixLetters.Contains(c4))) ||
            (char.IsAsciiLetterUpper(c0) && char.IsAsciiDigit(c4)));
        if (!shapeOk)
        {
            error = $"'{Printable(text)}' is not a CPT/HCPCS code: expected 5 digits (CPT Category I), 4 digits followed by " +
                    "F (Category II), T (Category III), U (PLA), A or M (Category I), or a letter followed by 4 digits (HCPCS Level II)";
            return false;
        }

        var packed = 0;
        for (var i = 0; i < 5; i++)
        {
            var c = char.ToUpperInvariant(text[i]);
            packed = packed * 36 + (c <= '9' ? c - '0' : c - 'A' + 10);
        }
        if (packed == 0)
        {
            error = "'00000' is not a CPT/HCPCS code";
            return false;
        }
        code = new HcpcsCode(packed);
        error = null;
        return true;
    }

    private static string Printable(ReadOnlySpan<char> text)
    {
        var s = text.Length > 20 ? string.Concat(text[..20], "…") : text.ToString();
        return string.Create(s.Length, s, static (span, src) =>
        {
            for (var i = 0; i < src.Length; i++) span[i] = char.IsControl(src[i]) ? '?' : src[i];
        });
    }

    public int CompareTo(HcpcsCode other) => Packed.CompareTo(other.Packed);

    public static bool operator <(HcpcsCode a, HcpcsCode b) => a.Packed < b.Packed;
    public static bool operator >(HcpcsCode a, HcpcsCode b) => a.Packed > b.Packed;
    public static bool operator <=(HcpcsCode a, HcpcsCode b) => a.Packed <= b.Packed;
    public static bool operator >=(HcpcsCode a, HcpcsCode b) => a.Packed >= b.Packed;

    public override string ToString() => IsEmpty ? "" : string.Create(5, Packed, static (span, p) => Write(span, p));

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        if (destination.Length < 5 || IsEmpty) { charsWritten = 0; return IsEmpty; }
        Write(destination, Packed);
        charsWritten = 5;
        return true;
    }

    private static void Write(Span<char> span, int packed)
    {
        for (var i = 4; i >= 0; i--)
        {
            span[i] = Alphabet[packed % 36];
            packed /= 36;
        }
    }

    /// <summary>The numeric run of the code (the 4 or 5 digits) and the position of its letter, if any;
    /// two codes belong to one range only when their letters and letter positions agree.</summary>
    internal (int Number, int Width, char Letter, bool LetterFirst) Split()
    {
        Span<char> s = stackalloc char[5];
        Write(s, Packed);
        if (char.IsAsciiLetter(s[0])) return (int.Parse(s[1..]), 4, s[0], true);
        if (char.IsAsciiLetter(s[4])) return (int.Parse(s[..4]), 4, s[4], false);
        return (int.Parse(s), 5, '\0', false);
    }

    internal static HcpcsCode Join(int number, int width, char letter, bool letterFirst)
    {
        Span<char> s = stackalloc char[5];
        if (width == 5) number.TryFormat(s, out _, "D5");
        else if (letterFirst) { s[0] = letter; number.TryFormat(s[1..], out _, "D4"); }
        else { number.TryFormat(s, out _, "D4"); s[4] = letter; }
        return TryParse(s, out var code, out _) ? code : default;
    }
}
