using System.Text;
using CodePairs.Rules.Batch;
using CodePairs.Rules.Generation;

namespace CodePairs.Rules.Tests.Batch;

/// <summary>
/// The parallel engine against the reference (BatchReader + BatchCheck): the same result and rejected bytes (rows,
/// order, line numbers, reasons) and the same summary on generated files full of what a reader must get right,
/// cut into small blocks so claims, quotes, long lines and CR/LF pairs meet block boundaries often.
/// </summary>
public class ParallelBatchTests
{
    private static readonly Lazy<(RuleSet Rules, ClaimValidator Validator, string[] Codes)> Release = new(() =>
    {
        var rules = ReleaseGenerator.Build(GeneratorOptions.Small(seed: 7)).Build();
        return (rules, new ClaimValidator(rules), Enumerable.Range(0, rules.Codes.Count).Select(rules.Codes.TextOf).ToArray());
    });

    private sealed record Outcome(string Results, string Rejected, string Summary);

    private static string Describe(BatchSummary s) =>
        $"{s.LinesIn}={s.LinesValidated}+{s.LinesRejected}; claims {s.Claims} clean {s.ClaimsClean} findings {s.ClaimsWithFindings}; " +
        string.Join(",", s.FindingsByKind.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}={k.Value}")) + "; " +
        string.Join(",", s.FindingsBySeverity.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}={k.Value}")) + "; " +
        string.Join(",", s.TablesUsed);

    private static Outcome Reference(byte[] file, BatchFormat format, BatchSlice? slice = null)
    {
        var results = new MemoryStream();
        var rejected = new MemoryStream();
        BatchSummary summary;
        using (var r = new StreamWriter(results, new UTF8Encoding(false), 1 << 16, leaveOpen: true))
        using (var j = new StreamWriter(rejected, new UTF8Encoding(false), 1 << 16, leaveOpen: true))
            summary = BatchCheck.Run(new BatchReader(new MemoryStream(file), format, Setting.Practitioner, slice), Release.Value.Validator, r, j);
        Assert.Equal(summary.LinesIn, summary.LinesValidated + summary.LinesRejected);
        return new Outcome(Encoding.UTF8.GetString(results.ToArray()), Encoding.UTF8.GetString(rejected.ToArray()), Describe(summary));
    }

    private static Outcome Parallel(byte[] file, BatchFormat format, int blockBytes, BatchSlice? slice = null, int workers = 2)
    {
        var results = new MemoryStream();
        var rejected = new MemoryStream();
        var summary = ParallelBatchCheck.Run(new MemoryStream(file), format, Setting.Practitioner, slice, Release.Value.Validator, results, rejected,
            workers, null, false, blockBytes, CancellationToken.None);
        return new Outcome(Encoding.UTF8.GetString(results.ToArray()), Encoding.UTF8.GetString(rejected.ToArray()), Describe(summary));
    }

    private static void AssertSame(byte[] file, BatchFormat format, int blockBytes, BatchSlice? slice = null)
    {
        var expected = Reference(file, format, slice);
        var actual = Parallel(file, format, blockBytes, slice);
        Assert.True(expected.Rejected == actual.Rejected, "rejected differ: " + Around(expected.Rejected, actual.Rejected));
        Assert.True(expected.Results == actual.Results, "results differ: " + Around(expected.Results, actual.Results));
        Assert.Equal(expected.Summary, actual.Summary);
    }

    private static string Around(string a, string b)
    {
        var n = Math.Min(a.Length, b.Length);
        var i = 0;
        while (i < n && a[i] == b[i]) i++;
        var from = Math.Max(0, a.LastIndexOf('\n', Math.Max(0, i - 1)) - 200);
        string Clip(string s) => s.Substring(Math.Min(from, s.Length), Math.Min(500, s.Length - Math.Min(from, s.Length)));
        return $"at char {i}\nexpected: {Clip(a)}\nactual:   {Clip(b)}";
    }

    /// <summary>A CSV of claims of 1-8 lines with every kind of trouble mixed in (seeded).</summary>
    private static byte[] Csv(int claims, int seed, bool quotes, bool nasty, bool setting = false)
    {
        var codes = Release.Value.Codes;
        var random = new Random(seed);
        var sb = new StringBuilder();
        sb.Append("claim_id,date_of_service,code,mod1,mod2,mod3,mod4,units").Append(setting ? ",setting" : "").Append('\n');
        // Odd seeds: LF and CRLF only (blocks Sylvan reads); even seeds add lone CRs (blocks read line by line).
        string[] endings = !nasty ? ["\n"] : seed % 2 == 1 ? ["\n", "\r\n"] : ["\n", "\r\n", "\r"];
        for (var c = 0; c < claims; c++)
        {
            var id = "C" + c;
            var lines = 1 + random.Next(8);
            if (nasty && random.Next(200) == 0) lines = 95 + random.Next(20); // around the claim line cap (100)
            for (var i = 0; i < lines; i++)
            {
                var end = endings[random.Next(endings.Length)];
                var roll = nasty ? random.Next(400) : 1000;
                switch (roll)
                {
                    case 0: sb.Append(end); continue; // empty line
                    case 1: sb.Append("   \t").Append(end); continue;
                    case 2: sb.Append(id).Append(",2026-08-03,").Append(codes[0]).Append(",,,").Append(end); continue; // columns
                    case 3: sb.Append(new string('x', 70_000)).Append(end); continue; // past the cap, within a block
                    case 4: sb.Append(new string('y', 300_000)).Append(end); continue; // past any block's line room
                    case 5: sb.Append(id).Append(",2026-08-03,").Append(new string('é', 40_000)).Append(",,,,,1").Append(end); continue; // long, under the cap
                    case 6: sb.Append(",2026-08-03,").Append(codes[0]).Append(",,,,,1").Append(end); continue; // empty id
                    case 7: sb.Append(" ").Append(id).Append(" ,2026-08-03,").Append(codes[1]).Append(",,,,,1").Append(end); continue; // same id, padded
                }
                var code = codes[random.Next(codes.Length)];
                var date = random.Next(300) == 0 ? "2026-08-32" : "2026-08-03";
                var mod = random.Next(4) switch { 0 => "59", 1 => "XU", _ => "" };
                var units = random.Next(50) == 0 ? "x" : random.Next(10) == 0 ? "2" : "1";
                if (quotes && random.Next(30) == 0)
                {
                    switch (random.Next(4))
                    {
                        case 0: sb.Append('"').Append(id).Append("\",").Append(date).Append(",\"").Append(code).Append("\",,,,,").Append(units); break;
                        case 1: sb.Append(id).Append(',').Append(date).Append(",\"").Append(code).Append(",,,,,").Append(units); break; // not closed
                        case 2: sb.Append("\"A,").Append(c).Append("\",").Append(date).Append(',').Append(code).Append(",,,,,").Append(units); break;
                        default: sb.Append(id).Append(',').Append(date).Append(',').Append(code).Append(",\"5\"9,,,,").Append(units); break; // text after quote
                    }
                }
                else sb.Append(id).Append(',').Append(date).Append(',').Append(code).Append(',').Append(mod).Append(",,,,").Append(units);
                if (setting) sb.Append(random.Next(3) switch { 0 => ",hospital", 1 => ",", _ => ",practitioner" });
                sb.Append(end);
            }
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    [Theory]
    [InlineData(1, false, false, 1 << 16)]
    [InlineData(2, true, false, 1 << 16)]
    [InlineData(3, false, true, 1 << 16)]
    [InlineData(4, true, true, 1 << 16)]
    [InlineData(5, true, true, 1 << 20)]
    public void CsvIsByteForByteTheReferenceOutput(int seed, bool quotes, bool nasty, int blockBytes)
        => AssertSame(Csv(4_000, seed, quotes, nasty), BatchFormat.Csv, blockBytes);

    [Fact]
    public void CsvWithTheSettingColumnAndABomIsTheReferenceOutput()
        => AssertSame([0xEF, 0xBB, 0xBF, .. Csv(2_000, 9, quotes: true, nasty: true, setting: true)], BatchFormat.Csv, 1 << 16);

    [Fact]
    public void AHeaderlessSliceIsTheReferenceOutput()
    {
        var file = Csv(3_000, 11, quotes: true, nasty: true);
        var body = file.AsSpan(file.AsSpan().IndexOf((byte)'\n') + 1).ToArray();
        AssertSame(body, BatchFormat.Csv, 1 << 16, new BatchSlice(2, 8));
        AssertSame(body, BatchFormat.Csv, 1 << 16, new BatchSlice(5_000_001, 8));
    }

    [Fact]
    public void OneClaimIdOverTheLargestBlockIsFinishedByTheReferenceEngine()
    {
        // 60,000 lines of one claim (far past the line cap, ≈ 2 MiB: more than 16 blocks of 64 KiB), between ordinary claims.
        var sb = new StringBuilder("claim_id,date_of_service,code,mod1,mod2,mod3,mod4,units\n");
        var code = Release.Value.Codes[3];
        for (var i = 0; i < 5_000; i++) sb.Append('A').Append(i).Append(",2026-08-03,").Append(code).Append(",,,,,1\n");
        for (var i = 0; i < 60_000; i++) sb.Append("BIG,2026-08-03,").Append(code).Append(",,,,,1\n");
        for (var i = 0; i < 5_000; i++) sb.Append('Z').Append(i).Append(",2026-08-03,").Append(code).Append(",,,,,1\n");
        AssertSame(Encoding.UTF8.GetBytes(sb.ToString()), BatchFormat.Csv, 1 << 16);
    }

    private static byte[] JsonLines(int claims, int seed)
    {
        var codes = Release.Value.Codes;
        var random = new Random(seed);
        var sb = new StringBuilder();
        for (var c = 0; c < claims; c++)
        {
            var end = random.Next(3) switch { 0 => "\r\n", _ => "\n" };
            switch (random.Next(60))
            {
                case 0: sb.Append(end); continue;
                case 1: sb.Append("{\"claimId\":\"X").Append(c).Append("\",\"setting\":").Append(end); continue; // malformed
                case 2: sb.Append("{\"claimId\":\"Y").Append(c).Append("\",\"lines\":[{\"code\":\"").Append(codes[0]).Append("\",\"units\":1,\"dateOfService\":\"2026-08-03\"}]}").Append(end); continue; // no setting: default
                case 3: sb.Append("{\"claimId\":\"").Append(new string('z', 70_000)).Append("\"}").Append(end); continue; // past the cap
                case 4: sb.Append("[1,2]").Append(end); continue;
                case 5: sb.Append("{\"claimId\":\"W").Append(c).Append("\",\"setting\":\"practitioner\",\"dateOfService\":\"2026-08-03\",\"lines\":[{\"code\":\"1234\",\"units\":1}]}").Append(end); continue;
            }
            sb.Append("{\"claimId\":\"J").Append(c).Append("\",\"setting\":\"practitioner\",\"dateOfService\":\"2026-08-0").Append(random.Next(50) == 0 ? "0" : "3").Append("\",\"lines\":[");
            var lines = 1 + random.Next(6);
            for (var i = 0; i < lines; i++)
            {
                if (i > 0) sb.Append(',');
                sb.Append("{\"code\":\"").Append(codes[random.Next(codes.Length)]).Append("\",\"modifiers\":[").Append(random.Next(3) == 0 ? "\"59\"" : "").Append("],\"units\":").Append(1 + random.Next(2)).Append('}');
            }
            sb.Append("]}").Append(end);
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    [Theory]
    [InlineData(21, 1 << 16)]
    [InlineData(22, 1 << 20)]
    public void JsonLinesAreByteForByteTheReferenceOutput(int seed, int blockBytes)
        => AssertSame(JsonLines(6_000, seed), BatchFormat.JsonLines, blockBytes);

    [Theory]
    [InlineData("", BatchFormat.Csv)]
    [InlineData("claim_id,code\n", BatchFormat.Csv)]
    [InlineData("", BatchFormat.JsonLines)]
    [InlineData("claim_id,date_of_service,code,mod1,mod2,mod3,mod4,units\nA,2026-08-03,\u0000,,,,,1\n", BatchFormat.Csv)]
    public void AFileProblemIsTheReferenceException(string text, BatchFormat format)
    {
        var file = Encoding.UTF8.GetBytes(text);
        var expected = Assert.Throws<BatchFileException>(() => Reference(file, format));
        var actual = Assert.Throws<BatchFileException>(() => Parallel(file, format, 1 << 16));
        Assert.Equal(expected.Message, actual.Message);
    }

    [Fact]
    public void TheHeaderPastTheCapIsTheReferenceException()
    {
        var file = Encoding.UTF8.GetBytes(new string('h', 300_000) + "\nA,2026-08-03,62323,,,,,1\n");
        var expected = Assert.Throws<BatchFileException>(() => Reference(file, BatchFormat.Csv));
        var actual = Assert.Throws<BatchFileException>(() => Parallel(file, BatchFormat.Csv, 1 << 16));
        Assert.Equal(expected.Message, actual.Message);
    }
}
