using System.Text;
using System.Text.RegularExpressions;
using CodePairs.Rules.Batch;

namespace CodePairs.Rules.X12;

/// <summary>
/// How results of an 837 point back to the file: the claim's CLM segment and each line's SV1/SV2 segment, line
/// numbers as the 837 counts its service lines (a line that was not checked keeps its place), and no date of service
/// in any message (results hold the claim id and the codes; the segments locate the rest in the biller's own file).
/// </summary>
public static partial class X12Results
{
    public const string ResultHeader = "claim_id,claim_segment,line_segments,status,severity,kind,rule,claim_lines,denied_lines,codes,source,message";
    public const string RejectedHeader = "segment,claim_id,claim_segment,reason";

    /// <summary>The 837 service-line numbers of engine lines (1-based), joined with ';'.</summary>
    public static string ClaimLines(X12ClaimInfo info, IReadOnlyList<int> lines)
    {
        if (lines.Count == 0) return "";
        if (lines.Count == 1) return Number(info, lines[0]).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        foreach (var l in lines)
        {
            if (sb.Length > 0) sb.Append(';');
            sb.Append(Number(info, l));
        }
        return sb.ToString();
    }

    /// <summary>A finding's message with 837 line numbers, no date of service of the claim, and how spanning, minute or
    /// fractional lines were read.</summary>
    public static string Message(X12ClaimInfo info, Claim claim, Finding finding)
    {
        var message = finding.Message;
        if (!IsIdentity(info.LineNumbers)) message = LineReference().Replace(message, m => Renumber(info, m));
        message = WithoutDatesOfService(message, claim);
        if (info.LineNotes is { } notes)
        {
            StringBuilder? sb = null;
            foreach (var l in finding.Lines)
            {
                if (l < 1 || l > notes.Count || notes[l - 1] is not { } note) continue;
                sb ??= new StringBuilder(message);
                sb.Append(" (").Append(note).Append(')');
            }
            if (sb is not null) message = sb.ToString();
        }
        return message;
    }

    /// <summary>
    /// Every date of service of the claim, in the form findings write dates, becomes "the date of service" ("lines
    /// dated D": "lines of that date of service"). Dates that are an edit's or a table's (after "since", "in force",
    /// "to", "starts") stay: they are CMS's, and only equal a date of service by chance.
    /// </summary>
    private static string WithoutDatesOfService(string message, Claim claim)
    {
        Span<char> iso = stackalloc char[10];
        var previous = claim.DateOfService;
        for (var i = -1; i < claim.Lines.Count; i++)
        {
            var date = i < 0 ? claim.DateOfService : claim.DateOf(i);
            if (i >= 0 && (date == claim.DateOfService || date == previous)) continue; // lines mostly share one date
            previous = date;
            date.TryFormat(iso, out _, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            if (message.AsSpan().IndexOf(iso) >= 0) message = Redact(message, iso.ToString());
        }
        return message;
    }

    private static string Redact(string message, string iso)
    {
        var sb = new StringBuilder(message.Length);
        var at = 0;
        for (var k = message.IndexOf(iso, StringComparison.Ordinal); k >= 0; k = message.IndexOf(iso, at, StringComparison.Ordinal))
        {
            var before = message.AsSpan(at, k - at);
            if (before.EndsWith("since ") || before.EndsWith("in force ") || before.EndsWith(" to ") || before.EndsWith("starts "))
                sb.Append(before).Append(iso);
            else if (before.EndsWith("dated "))
                sb.Append(before[..^"dated ".Length]).Append("of that date of service");
            else
                sb.Append(before).Append("the date of service");
            at = k + iso.Length;
        }
        return sb.Append(message.AsSpan(at)).ToString();
    }

    /// <summary>The SV1/SV2 segments of the engine lines named (distinct, in the order named), joined with ';'.</summary>
    public static string LineSegments(IReadOnlyList<int> segments, IReadOnlyList<int> lines)
    {
        if (lines.Count == 1) return segments[lines[0] - 1].ToString(System.Globalization.CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        for (var i = 0; i < lines.Count; i++)
        {
            var segment = segments[lines[i] - 1];
            var seen = false;
            for (var j = 0; j < i && !seen; j++) seen = segments[lines[j] - 1] == segment;
            if (seen) continue;
            if (sb.Length > 0) sb.Append(';');
            sb.Append(segment);
        }
        return sb.ToString();
    }

    /// <summary>The message of a clean claim's row: empty, or how many of its service lines were not checked.</summary>
    public static string CleanMessage(X12ClaimInfo info)
        => info.NotChecked.Count == 0 ? ""
            : $"clean as far as checked: {info.ServiceLines - info.NotChecked.Count} of {info.ServiceLines} service lines checked; " +
              $"{info.NotChecked.Count} not checked (see the not-checked row{(info.NotChecked.Count == 1 ? "" : "s")})";

    private static int Number(X12ClaimInfo info, int engineLine)
        => engineLine >= 1 && engineLine <= info.LineNumbers.Count ? info.LineNumbers[engineLine - 1] : engineLine;

    private static bool IsIdentity(IReadOnlyList<int> numbers)
    {
        for (var i = 0; i < numbers.Count; i++) if (numbers[i] != i + 1) return false;
        return true;
    }

    private static string Renumber(X12ClaimInfo info, Match m)
        => m.Groups[1].Value + " " + LineNumber().Replace(m.Groups[2].Value, n => Number(info, int.Parse(n.Value, System.Globalization.CultureInfo.InvariantCulture))
            .ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>"line 2", "Line 2:", "lines 1, 2", "line 1 or 2": how findings name claim lines.</summary>
    [GeneratedRegex(@"\b([Ll]ines?) (\d+(?:(?:, | or | and )\d+)*)")]
    private static partial Regex LineReference();

    [GeneratedRegex(@"\d+")]
    private static partial Regex LineNumber();
}
