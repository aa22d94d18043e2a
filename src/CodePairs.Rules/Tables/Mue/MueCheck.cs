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
            var lines = group[..count];
            if (value < 0)
            {
                c.Report.Add(Explain.NoMue(claim, lines, total, c.Codes.Single(id), source));
            }
            else if (value == 0)
            {
                c.Report.Add(Explain.MueZero(claim, lines, c.Codes.Single(id), mue.Detail(id, c.Codes.TextOf(id), total), source));
            }
            else if (mue.Adjudication[id] == (byte)MueAdjudication.Line)
            {
                foreach (var j in lines)
                {
                    var units = claim.Lines[j].Units;
                    if (units > value) c.Report.Add(Explain.MueLine(claim, j, c.Codes.Single(id), mue.Detail(id, c.Codes.TextOf(id), units), source));
                }
            }
            else if (total > value)
            {
                c.Report.Add(Explain.MueDateOfService(claim, lines, c.Codes.Single(id), mue.Detail(id, c.Codes.TextOf(id), total), source));
            }
        }
    }
}
