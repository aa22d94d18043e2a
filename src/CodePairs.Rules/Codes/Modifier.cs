using System.Diagnostics.CodeAnalysis;

namespace CodePairs.Rules;

/// <summary>A two-character CPT/HCPCS modifier, <c>[0-9A-Z]{2}</c>.</summary>
public readonly record struct Modifier
{
    public const int MaxPerLine = 4;

    private readonly ushort _value;

    private Modifier(char a, char b) => _value = (ushort)((a << 8) | b);

    public static Modifier Parse(string text)
        => TryParse(text, out var m, out var error) ? m : throw new FormatException(error);

    public static bool TryParse(ReadOnlySpan<char> text, out Modifier modifier, [NotNullWhen(false)] out string? error)
    {
        modifier = default;
        if (text.Length != 2 || !IsModifierChar(text[0]) || !IsModifierChar(text[1]))
        {
            error = $"'{(text.Length > 10 ? string.Concat(text[..10], "…") : text.ToString())}' is not a modifier: expected 2 characters from 0-9 and A-Z";
            return false;
        }
        modifier = new Modifier(char.ToUpperInvariant(text[0]), char.ToUpperInvariant(text[1]));
        error = null;
        return true;

        static bool IsModifierChar(char c) => char.IsAsciiDigit(c) || char.IsAsciiLetter(c);
    }

    public bool IsEmpty => _value == 0;

    /// <summary>True for the NCCI-associated modifiers that may bypass an indicator-1 PTP edit (NCCI.md).
    /// 22, 76, 77 and GG are deliberately not among them.</summary>
    public bool IsNcciBypass => NcciModifiers.IsBypass(this);

    public override string ToString() => IsEmpty ? "" : new string([(char)(_value >> 8), (char)(_value & 0xFF)]);
}

/// <summary>The NCCI-associated modifier list, kept in one place.</summary>
public static class NcciModifiers
{
    /// <summary>Anatomic, global-surgery and other NCCI-associated modifiers, in the order CMS lists them.</summary>
    public static IReadOnlyList<Modifier> Bypass { get; } =
    [
        .. Names("E1 E2 E3 E4 FA F1 F2 F3 F4 F5 F6 F7 F8 F9 TA T1 T2 T3 T4 T5 T6 T7 T8 T9 LT RT LC LD RC LM RI"),
        .. Names("24 25 57 58 78 79"),
        .. Names("27 59 91 XE XS XP XU"),
    ];

    /// <summary>Modifiers people try that do NOT bypass PTP edits.</summary>
    public static IReadOnlyList<Modifier> NotBypass { get; } = [.. Names("22 76 77 GG")];

    private static readonly HashSet<Modifier> BypassSet = [.. Bypass];

    public static bool IsBypass(Modifier m) => BypassSet.Contains(m);

    private static IEnumerable<Modifier> Names(string list) => list.Split(' ').Select(Modifier.Parse);
}
