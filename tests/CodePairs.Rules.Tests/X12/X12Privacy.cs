using System.Globalization;
using System.Text.RegularExpressions;

namespace CodePairs.Rules.Tests.X12;

/// <summary>
/// The privacy rule of the 837 door, as a check: every element (and component) value of a sample file is forbidden in
/// outputs and logs except what the results are meant to hold — the claim ids (CLM01), the codes (SV1-01 / SV2-02
/// components: qualifier, code, modifiers; SV2-01 revenue codes; CLM05 facility type and frequency) and units. Short
/// all-digit values (times, counts) are left out: they cannot be told from the numbers outputs are made of. Dates are
/// also forbidden in ISO form.
/// </summary>
internal static class X12Privacy
{
    public static IReadOnlyList<string> Forbidden(string sample)
    {
        var allowed = new HashSet<string>(StringComparer.Ordinal);
        var values = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in sample.Split('~'))
        {
            var elements = raw.Trim('\r', '\n').Split('*');
            var id = elements[0];
            for (var e = 1; e < elements.Length; e++)
            {
                var parts = elements[e].Split(':').Select(p => p.Trim()).Prepend(elements[e].Trim()).Where(p => p.Length > 0).ToArray();
                var keep = (id, e) is ("CLM", 1) or ("CLM", 5) or ("SV1", 1) or ("SV1", 4) or ("SV2", 1) or ("SV2", 2) or ("SV2", 5);
                foreach (var p in parts) (keep ? allowed : values).Add(p);
            }
        }
        var forbidden = new List<string>();
        foreach (var v in values.Where(v => !allowed.Contains(v)))
        {
            if (v.Length < 4 || (v.Length == 4 && v.All(char.IsAsciiDigit))) continue;
            forbidden.Add(v);
            if (v.Length == 8 && DateOnly.TryParseExact(v, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                forbidden.Add(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            foreach (var part in v.Split('-').Where(p => p.Length == 8 && p != v))
                if (DateOnly.TryParseExact(part, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                    forbidden.Add(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
        return forbidden;
    }

    /// <summary>Fails naming the first forbidden value found in an output (as a whole token, not inside a longer word or number).</summary>
    public static void AssertNoneIn(string sample, IEnumerable<(string Name, string Text)> outputs)
    {
        var forbidden = Forbidden(sample);
        Assert.True(forbidden.Count > 30, $"the sample should have plenty of private values; found {forbidden.Count}");
        foreach (var (name, text) in outputs)
            foreach (var v in forbidden)
                if (Regex.IsMatch(text, $"(?<![A-Za-z0-9]){Regex.Escape(v)}(?![A-Za-z0-9])"))
                    Assert.Fail($"{name} holds '{v}', an element of the sample that no output may hold");
    }
}
