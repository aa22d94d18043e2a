namespace CodePairs.Rules;

/// <summary>PTP edits: for every ordered pair of lines on one date of service, the row of the setting's PTP version in
/// force that is an edit on that date (column 2 is denied unless a modifier bypasses it, where allowed).</summary>
internal sealed class PtpCheck : IClaimCheck
{
    public static readonly PtpCheck Instance = new();

    public void Check(ref ClaimContext c)
    {
        var table = Tables.Ptp(c.Setting);
        var n = c.Lines;
        for (var i = 0; i < n; i++)
        {
            var c1 = c.Ids[i];
            if (c1 < 0) continue;
            if (c.Version(table, i) is not { } version) continue;
            var ptp = (PtpIndex)version.Index;
            var day = c.Days[i];
            for (var j = 0; j < n; j++)
            {
                var c2 = c.Ids[j];
                if (j == i || c2 < 0 || c2 == c1 || c.Days[j] != day) continue;
                var (start, end) = ptp.Find(c1, c2);
                if (start == end) continue;
                var best = ptp.InForce(start, end, day);
                if (best < 0) continue;
                c.Report.Add(Explain.Ptp(c.Claim, i, j, ptp.Detail(best, c.Codes.TextOf(c1), c.Codes.TextOf(c2)), version.Source));
            }
        }
    }
}
