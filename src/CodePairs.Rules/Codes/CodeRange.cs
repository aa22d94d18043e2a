using System.Diagnostics.CodeAnalysis;

namespace CodePairs.Rules;

/// <summary>An inclusive run of codes as people write them (<c>62320-62329</c>, <c>0627T-0628T</c>); a single code
/// is a range of one. Both ends share a shape: same letter in the same place.</summary>
public readonly record struct CodeRange(HcpcsCode First, HcpcsCode Last)
{
    /// <summary>Ranges longer than this are refused: nobody writes them and they are likely typos.</summary>
    public const int MaxExpansion = 10_000;

    public static CodeRange Single(HcpcsCode code) => new(code, code);

    public bool IsSingle => First == Last;

    public static CodeRange Parse(string text)
        => TryParse(text, out var range, out var error) ? range : throw new FormatException(error);

    public static bool TryParse(ReadOnlySpan<char> text, out CodeRange range, [NotNullWhen(false)] out string? error)
    {
        range = default;
        text = text.Trim();
        var dash = text.IndexOf('-');
        if (dash < 0)
        {
            if (!HcpcsCode.TryParse(text, out var single, out error)) return false;
            range = Single(single);
            return true;
        }
        if (!HcpcsCode.TryParse(text[..dash].Trim(), out var first, out var e1))
        {
            error = $"range start: {e1}";
            return false;
        }
        if (!HcpcsCode.TryParse(text[(dash + 1)..].Trim(), out var last, out var e2))
        {
            error = $"range end: {e2}";
            return false;
        }
        var (n1, w1, l1, f1) = first.Split();
        var (n2, w2, l2, f2) = last.Split();
        if (w1 != w2 || l1 != l2 || f1 != f2)
        {
            error = $"'{first}-{last}': both ends of a range must have the same shape (same letter in the same place)";
            return false;
        }
        if (n2 < n1)
        {
            error = $"'{first}-{last}': the range ends before it starts";
            return false;
        }
        if (n2 - n1 + 1 > MaxExpansion)
        {
            error = $"'{first}-{last}' spans {n2 - n1 + 1} codes; at most {MaxExpansion} are allowed in one range";
            return false;
        }
        range = new CodeRange(first, last);
        error = null;
        return true;
    }

    public bool Contains(HcpcsCode code)
    {
        if (code < First || code > Last) return false;
        if (IsSingle) return true;
        var (n, w, l, f) = code.Split();
        var (n1, w1, l1, f1) = First.Split();
        return w == w1 && l == l1 && f == f1 && n >= n1;
    }

    public IEnumerable<HcpcsCode> Expand()
    {
        if (IsSingle) { yield return First; yield break; }
        var (n1, w, l, f) = First.Split();
        var (n2, _, _, _) = Last.Split();
        for (var n = n1; n <= n2; n++) yield return HcpcsCode.Join(n, w, l, f);
    }

    /// <summary>Compresses codes back into the fewest ranges of consecutive codes (for explanations and fixes).</summary>
    public static IReadOnlyList<CodeRange> Compress(IEnumerable<HcpcsCode> codes)
    {
        var sorted = codes.Distinct().Order().ToArray();
        var result = new List<CodeRange>();
        var i = 0;
        while (i < sorted.Length)
        {
            var start = sorted[i];
            var (n, w, l, f) = start.Split();
            var j = i;
            while (j + 1 < sorted.Length)
            {
                var (nn, ww, ll, ff) = sorted[j + 1].Split();
                if (ww != w || ll != l || ff != f || nn != n + (j + 1 - i)) break;
                j++;
            }
            result.Add(new CodeRange(start, sorted[j]));
            i = j + 1;
        }
        return result;
    }

    public override string ToString() => IsSingle ? First.ToString() : $"{First}-{Last}";
}
