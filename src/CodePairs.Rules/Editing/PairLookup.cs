namespace CodePairs.Rules;

/// <summary>Both directions' PTP rows for a pair of codes, from the PTP version in force on a date.</summary>
public static class PairLookup
{
    /// <summary>Every row (in force or not) with <paramref name="a"/> as column 1 and <paramref name="b"/> as column 2,
    /// then the swapped direction, from the setting's PTP version in force on <paramref name="date"/> (null when no PTP
    /// version is loaded for the setting).</summary>
    public static (TableVersion? Version, IReadOnlyList<PtpEdit> Edits) PairEdits(this RuleSet rules, HcpcsCode a, HcpcsCode b, Setting setting, DateOnly date)
    {
        var version = rules.VersionFor(Tables.Ptp(setting), date);
        var edits = new List<PtpEdit>();
        var (ia, ib) = (rules.Codes.Find(a), rules.Codes.Find(b));
        if (version?.Index is PtpIndex ptp && ia >= 0 && ib >= 0 && ia != ib)
        {
            foreach (var (c1, c2) in new[] { (ia, ib), (ib, ia) })
            {
                var (start, end) = ptp.Find(c1, c2);
                for (var r = start; r < end; r++) edits.Add(ptp.Row(r, rules.Codes, c1));
            }
        }
        return (version, edits);
    }
}
