namespace CodePairs.Rules;

/// <summary>Both directions' PTP rows for a pair of codes, from the release in force on a date.</summary>
public static class PairLookup
{
    /// <summary>Every row (in force or not) with <paramref name="a"/> as column 1 and <paramref name="b"/> as column 2,
    /// then the swapped direction, from the table of <paramref name="setting"/> in the release in force on <paramref name="date"/>.</summary>
    public static (Release Release, IReadOnlyList<PtpEdit> Edits) PairEdits(this RuleSet rules, HcpcsCode a, HcpcsCode b, Setting setting, DateOnly date)
    {
        var release = rules.ReleaseFor(date);
        var ptp = release.Ptp(TableNames.PtpFor(setting));
        var edits = new List<PtpEdit>();
        var (ia, ib) = (rules.Codes.Find(a), rules.Codes.Find(b));
        if (ptp is not null && ia >= 0 && ib >= 0 && ia != ib)
        {
            foreach (var (c1, c2) in new[] { (ia, ib), (ib, ia) })
            {
                var (start, end) = ptp.Find(c1, c2);
                for (var r = start; r < end; r++) edits.Add(ptp.Row(r, rules.Codes, c1));
            }
        }
        return (release, edits);
    }
}
