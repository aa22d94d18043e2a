namespace CodePairs.Rules.Generation;

public sealed partial class ReleaseGenerator
{
    /// <summary>Writes a batch claims file (the CSV line format of NCCI.md) of about <paramref name="lines"/> data lines:
    /// claims of 1-6 lines drawn from the PTP codes (so PTP, add-on and MUE findings occur), a few with modifiers or
    /// several units, and about one line in a thousand malformed (bad code, bad date, bad units) to exercise rejection.</summary>
    public void WriteClaims(Stream output, int lines, int seed = 1)
    {
        var random = new Random(SubSeed(seed * 31 + 404));
        using var w = new StreamWriter(output, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        w.WriteLine("claim_id,date_of_service,code,mod1,mod2,mod3,mod4,units");
        var dos = _o.EffectiveFrom.AddDays(20).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        string[] modifiers = ["", "", "", "", "", "", "59", "XU", "LT", "RT", "25", "76"];
        var written = 0;
        var claim = 0;
        while (written < lines)
        {
            claim++;
            var n = Math.Min(lines - written, 1 + random.Next(6));
            for (var i = 0; i < n; i++)
            {
                var code = _ptpCodes[random.Next(_ptpCodes.Length)].ToString();
                var units = random.NextDouble() < 0.9 ? 1 : random.Next(2, 30);
                var date = dos;
                var bad = random.Next(3000);
                if (bad == 0) code = code[..4];
                else if (bad == 1) date = "2026-02-30";
                else if (bad == 2) units = 0;
                w.Write("C");
                w.Write(claim);
                w.Write(',');
                w.Write(date);
                w.Write(',');
                w.Write(code);
                w.Write(',');
                w.Write(modifiers[random.Next(modifiers.Length)]);
                w.Write(",,,,");
                w.Write(units);
                w.WriteLine();
            }
            written += n;
        }
    }
}
