using System.Text;
using CodePairs.Rules;

/// <summary>A CSV of claims of 1-8 lines over a rule set's codes (about 0.1 % bad dates), streamed to a file; the same for the same arguments.</summary>
internal static class BatchFile
{
    public static void Generate(string path, long lines, RuleSet rules)
    {
        var codes = Enumerable.Range(0, rules.Codes.Count).Select(rules.Codes.TextOf).ToArray();
        var modifiers = new[] { "", "", "", "", "59", "XU", "25", "LT" };
        var random = new Random(42);
        using var w = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        w.Write("claim_id,date_of_service,code,mod1,mod2,mod3,mod4,units\n");
        long written = 0, claim = 0;
        while (written < lines)
        {
            var n = (int)Math.Min(1 + random.Next(8), lines - written);
            claim++;
            for (var i = 0; i < n; i++)
            {
                w.Write('C'); w.Write(claim); w.Write(",2026-08-");
                w.Write(random.Next(1000) == 0 ? "32" : "03"); // about 0.1 % bad dates
                w.Write(','); w.Write(codes[random.Next(codes.Length)]); w.Write(',');
                w.Write(modifiers[random.Next(modifiers.Length)]); w.Write(",,,,");
                w.Write(random.Next(20) == 0 ? '2' : '1'); w.Write('\n');
            }
            written += n;
        }
    }

    /// <summary>The same kind of claims as JSON Lines (one claim of 1-8 lines a line, ≈ 0.1 % of lines with a bad date).</summary>
    public static void GenerateJsonLines(string path, long lines, RuleSet rules)
    {
        var codes = Enumerable.Range(0, rules.Codes.Count).Select(rules.Codes.TextOf).ToArray();
        var modifiers = new[] { "", "", "", "", "59", "XU", "25", "LT" };
        var random = new Random(42);
        using var w = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        for (long claim = 1; claim <= lines; claim++)
        {
            var n = 1 + random.Next(8);
            w.Write("{\"claimId\":\"C"); w.Write(claim); w.Write("\",\"setting\":\"practitioner\",\"dateOfService\":\"2026-08-");
            w.Write(random.Next(1000) == 0 ? "32" : "03"); w.Write("\",\"lines\":[");
            for (var i = 0; i < n; i++)
            {
                if (i > 0) w.Write(',');
                w.Write("{\"code\":\""); w.Write(codes[random.Next(codes.Length)]); w.Write("\",\"modifiers\":[");
                var m = modifiers[random.Next(modifiers.Length)];
                if (m.Length > 0) { w.Write('"'); w.Write(m); w.Write('"'); }
                w.Write("],\"units\":"); w.Write(random.Next(20) == 0 ? '2' : '1'); w.Write('}');
            }
            w.Write("]}\n");
        }
    }

    public static void Gzip(string from, string to)
    {
        using var input = File.OpenRead(from);
        using var output = File.Create(to);
        using var gz = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest);
        input.CopyTo(gz, 1 << 20);
    }
}
