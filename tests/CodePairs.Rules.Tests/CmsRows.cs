using System.Globalization;

namespace CodePairs.Rules.Tests;

/// <summary>
/// Test rows written exactly as CMS publishes them (NCCI.md): PTP .TXT rows (7 tab-separated columns, YYYYMMDD,
/// `*` markers), AOC rows (8 columns, Julian YYYYDDD dates, CCCCC placeholder) and MUE CSV rows with MAI as text.
/// The reader in this file is deliberately minimal; the production readers live in CodePairs.Rules.
/// </summary>
internal static class CmsRows
{
    public static PtpRow Ptp(string tabSeparated)
    {
        var c = tabSeparated.Split('\t');
        Assert.Equal(7, c.Length);
        return new PtpRow(
            HcpcsCode.Parse(c[0]), HcpcsCode.Parse(c[1]), c[2] == "*",
            Ymd(c[3]), c[4] == "*" ? null : Ymd(c[4]),
            (ModifierIndicator)int.Parse(c[5], CultureInfo.InvariantCulture), c[6]);
    }

    /// <summary>add-on · AOC deletion · primary · primary deletion · type · edit effective · edit deletion · notes (tab-separated).</summary>
    public static AddOnRow AddOn(string tabSeparated)
    {
        var c = tabSeparated.Split('\t');
        Assert.Equal(8, c.Length);
        return new AddOnRow(
            HcpcsCode.Parse(c[0]), Julian(c[1]), c[2] == "CCCCC" ? default : HcpcsCode.Parse(c[2]), Julian(c[3]),
            (AddOnType)int.Parse(c[4], CultureInfo.InvariantCulture), Julian(c[5])!.Value, Julian(c[6]), c[7].Length == 0 ? null : c[7]);
    }

    /// <summary>An MUE CSV data row: <c>code,value,"MAI text","rationale"</c>.</summary>
    public static MueRow Mue(string csv)
    {
        var parts = csv.Split(",\"");
        var head = parts[0].Split(',');
        var mai = parts[1].TrimEnd('"');
        return new MueRow(HcpcsCode.Parse(head[0]), int.Parse(head[1], CultureInfo.InvariantCulture),
            (MueAdjudication)(mai[0] - '0'), parts[2].TrimEnd('"'));
    }

    private static DateOnly Ymd(string s) => DateOnly.ParseExact(s, "yyyyMMdd", CultureInfo.InvariantCulture);

    private static DateOnly? Julian(string s)
    {
        if (s.Length == 0 || s == "*") return null;
        var year = int.Parse(s[..4], CultureInfo.InvariantCulture);
        var day = int.Parse(s[4..], CultureInfo.InvariantCulture);
        return new DateOnly(year, 1, 1).AddDays(day - 1);
    }
}
