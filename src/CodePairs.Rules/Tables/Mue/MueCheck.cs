namespace CodePairs.Rules;

/// <summary>MUE: units of a code on a date of service against the setting's MUE version in force — per line (MAI 1) or
/// summed over the date (MAI 2, 3); 0 = not payable; a code with no published MUE is said so, never passed silently.</summary>
internal sealed class MueCheck : IClaimCheck
{
    public static readonly MueCheck Instance = new();
    private const int StackLines = 128;

    public void Check(ref ClaimContext c)
    {
        var table = Tables.Mue(c.Setting);
        var claim = c.Claim;
        var n = c.Lines;
        Span<bool> done = n <= StackLines ? stackalloc bool[n] : new bool[n];
        Span<int> group = n <= StackLines ? stackalloc int[n] : new int[n];
        for (var i = 0; i < n; i++)
        {
            var id = c.Ids[i];
            if (done[i] || id < 0) continue;
            var count = 0;
            var total = 0;
            for (var j = i; j < n; j++)
            {
                if (done[j] || c.Ids[j] != id || c.Days[j] != c.Days[i]) continue;
                done[j] = true;
                group[count++] = j;
                total += claim.Lines[j].Units;
            }
            if (c.Version(table, i) is not { } version) continue;
            var mue = (MueIndex)version.Index;
            var source = version.Source;
            var value = mue.Value[id];
            if (value < 0)
                c.Report.Add(Explain.NoMue(claim, group[..count].ToArray(), total, source));
            else if (value == 0)
                c.Report.Add(Explain.MueZero(claim, group[..count].ToArray(), total, mue.Find(id, c.Codes)!, source));
            else if (mue.Adjudication[id] == (byte)MueAdjudication.Line)
            {
                foreach (var j in group[..count])
                    if (claim.Lines[j].Units > value) c.Report.Add(Explain.MueLine(claim, j, mue.Find(id, c.Codes)!, source));
            }
            else if (total > value)
                c.Report.Add(Explain.MueDateOfService(claim, group[..count].ToArray(), total, mue.Find(id, c.Codes)!, source));
        }
    }
}
