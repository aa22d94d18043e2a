using System.IO.Compression;
using System.Text;
using System.Text.Json;
using CodePairs.Rules;
using CodePairs.Rules.Batch;
using CodePairs.Rules.Cms;
using CodePairs.Rules.Snapshots;

namespace CodePairs.Fuzz;

/// <summary>One parser under test: seed inputs, how to run one input, and the exceptions it documents (anything else is
/// a bug).</summary>
internal sealed record Target(string Name, IReadOnlyList<byte[]> Seeds, Action<byte[]> Run, Func<Exception, bool> Documented, Func<byte[], byte[]>? Prepare = null);

internal static class Targets
{
    private static readonly DateOnly Q3 = new(2026, 7, 1);

    public static IReadOnlyList<Target> All()
    {
        var ptpRows = new[]
        {
            "0001A\t0591T\t\t20220101\t20231231\t1\tCPT Manual or CMS manual coding instruction",
            "13121\t13120\t\t19960101\t19960101\t9\tCPT Manual or CMS manual coding instruction",
            "13121\t13120\t*\t19960101\t*\t0\tCPT Manual or CMS manual coding instruction",
            "17000\t17281\t\t19990701\t20041231\t1\tMutually exclusive procedures",
        };
        var ptp = Encoding.Latin1.GetBytes(string.Concat(PtpTextFile.Preamble.Concat(ptpRows).Select(l => l + "\r\n")));
        var mue = Encoding.Latin1.GetBytes("\"CPT codes, descriptions and other data only are copyright 2025 American Medical Association.\r\nAll Rights Reserved.\",,,\r\n" +
            "\"HCPCS/\r\nCPT Code\",\"Practitioner Services MUE Values\",\"MUE Adjudication Indicator\",\"MUE Rationale\"\r\n" +
            "0001U,1,\"2 Date of Service Edit: Policy\",\"Code Descriptor / CPT Instruction\"\r\n11042,1,2 Date of Service Edit: Policy,Anatomic Consideration\r\n");
        var aocRows = new[]
        {
            new AddOnRow(HcpcsCode.Parse("11045"), null, HcpcsCode.Parse("11042"), null, AddOnType.Type1, new DateOnly(2011, 1, 1), null),
            new AddOnRow(HcpcsCode.Parse("0592T"), null, default, null, AddOnType.Type2, new DateOnly(2020, 1, 1), null, "Contractor defines \"primary\" (codes)"),
            new AddOnRow(HcpcsCode.Parse("22552"), null, default, null, AddOnType.Type3, new DateOnly(2017, 1, 1), new DateOnly(2017, 1, 1)),
        };
        using var aocStream = new MemoryStream();
        AddOnWorkbook.Write(aocStream, aocRows);
        var aoc = aocStream.ToArray();
        var rules = new RuleSetBuilder()
            .AddPtp(TableId.PtpPractitioner, "v322r0", Q3, ptpRows.Select(r => ParsePtp(r)))
            .AddAddOns("AOC_V2026Q3", Q3, aocRows)
            .AddMue(TableId.MuePractitioner, "2026-07-01", Q3, [new MueRow(HcpcsCode.Parse("11042"), 1, MueAdjudication.Line, "Anatomic Consideration")])
            .Build();
        using var snapStream = new MemoryStream();
        RuleSnapshot.Write(snapStream, rules);
        var snapshot = snapStream.ToArray();

        return
        [
            new("claim-json", [Utf8("""{"claimId":"A-1","setting":"practitioner","dateOfService":"2026-08-03","lines":[{"code":"62323","units":1},{"code":"77003","modifiers":["26","XU"],"units":2,"dateOfService":"2026-08-04"}]}"""),
                               Utf8("""{"setting":"hospital","lines":[{"code":"0591T"}]}""")],
                input => { var claim = JsonSerializer.Deserialize<ClaimInput>(input, Functions.Http.JsonBody.Options); if (claim is not null) ClaimParser.Parse(claim); },
                e => e is JsonException),
            // The fast path must never throw and must agree with the reference path on every claim it accepts.
            new("claim-json-fast", [Utf8("""{"claimId":"A-1","setting":"practitioner","dateOfService":"2026-08-03","lines":[{"code":"62323","units":1},{"code":"77003","modifiers":["26","XU"],"units":2,"dateOfService":"2026-08-04"}]}"""),
                                    Utf8("""{"setting":"hospital","dateOfService":"2026-08-03","lines":[{"code":"0591T"}]}""")],
                input =>
                {
                    if (!ClaimJsonReader.TryRead(input, ClaimLimits.MaxLines, out var fast)) return;
                    var (reference, errors) = ClaimParser.Parse(JsonSerializer.Deserialize<ClaimInput>(input, Functions.Http.JsonBody.Options)!);
                    if (reference is null || errors.Count > 0 || !SameClaim(fast!, reference)) throw new InvalidOperationException("the fast path read a claim the reference path reads otherwise");
                },
                _ => false),
            new("x12-837", [File.ReadAllBytes(SamplePath("professional.837")), File.ReadAllBytes(SamplePath("institutional.837"))],
                input => Drain(new BatchReader(new MemoryStream(input), BatchFormat.X12)), e => e is BatchFileException),
            new("batch-csv", [Utf8("claim_id,date_of_service,code,mod1,mod2,mod3,mod4,units,setting\nA1,2026-08-03,13121,,,,,1,\nA1,2026-08-03,13120,59,,,,2,hospital\n\"B,2\",2026-08-03,99213,,,,,1,\n")],
                input => Drain(new BatchReader(new MemoryStream(input), BatchFormat.Csv)), e => e is BatchFileException),
            new("batch-jsonl", [Utf8("""{"claimId":"J1","dateOfService":"2026-08-03","lines":[{"code":"62323"},{"code":"77003"}]}""" + "\n{bad}\n")],
                input => Drain(new BatchReader(new MemoryStream(input), BatchFormat.JsonLines)), e => e is BatchFileException),
            new("ptp-text", [ptp], input => PtpTextFile.Read(new MemoryStream(input), "f.TXT", new RuleSetBuilder().Ptp(TableId.PtpPractitioner, "v322r0", Q3)),
                e => e is CmsFileException),
            new("aoc-workbook", [aoc], input => AddOnWorkbook.Read(new MemoryStream(input), "AOC.xlsx"), e => e is CmsFileException),
            new("aoc-sheet-xml", [SheetOf(aoc)], input => AddOnWorkbook.Read(new MemoryStream(input), "AOC.xlsx"), e => e is CmsFileException, sheet => WithSheet(aoc, sheet)),
            new("mue-csv", [mue], input => MueCsvFile.Read(new MemoryStream(input), "m.csv", TableId.MuePractitioner), e => e is CmsFileException),
            new("manifest", [Utf8("""{"release":"v322r0","effectiveFrom":"2026-07-01","files":[{"name":"a.zip","bytes":10,"sha256":"00"},{"name":"b.zip"}]}""")],
                input => ReleaseManifest.Read(new MemoryStream(input), "release.json"), e => e is CmsFileException),
            new("snapshot", [snapshot], input => RuleSnapshot.Read(new MemoryStream(input), "s"), e => e is SnapshotException, FixSnapshotHeader),
            new("rule-pack", [Utf8(File.Exists(PackPath) ? File.ReadAllText(PackPath) : """{"name":"p","effective":{"from":"2017-01-01"},"rules":[{"type":"notWith","code":"77003","codes":["62270"]}]}""")],
                input => RulePackReader.Read(new MemoryStream(input), "pack"), e => e is RulePackException),
        ];
    }

    private static string PackPath => Path.Combine(AppContext.BaseDirectory, "../../../../../src/CodePairs.Rules/Packs/cpt-77003.json");

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private static string SamplePath(string name) => Path.Combine(AppContext.BaseDirectory, "../../../../../tests/CodePairs.Rules.Tests/X12/Samples", name);

    private static bool SameClaim(Claim a, Claim b)
        => a.Setting == b.Setting && a.DateOfService == b.DateOfService && a.ClaimId == b.ClaimId && a.Lines.Count == b.Lines.Count
           && a.Lines.Zip(b.Lines).All(p => p.First.Code == p.Second.Code && p.First.Units == p.Second.Units
                                            && p.First.DateOfService == p.Second.DateOfService && p.First.Modifiers.SequenceEqual(p.Second.Modifiers));

    private static void Drain(BatchReader reader)
    {
        foreach (var _ in reader.Read()) { }
    }

    private static PtpRow ParsePtp(string row)
    {
        var c = row.Split('\t');
        return new PtpRow(HcpcsCode.Parse(c[0]), HcpcsCode.Parse(c[1]), c[2] == "*", DateOnly.ParseExact(c[3], "yyyyMMdd"),
            c[4] == "*" ? null : DateOnly.ParseExact(c[4], "yyyyMMdd"), (ModifierIndicator)int.Parse(c[5]), c[6]);
    }

    /// <summary>The snapshot's payload mutated, with its length and XxHash64 made right again, so mutations reach the parser.</summary>
    private static byte[] FixSnapshotHeader(byte[] input)
    {
        if (input.Length < 28) return input;
        var copy = (byte[])input.Clone();
        Array.Copy("CPRULES\0"u8.ToArray(), copy, 8);
        BitConverter.TryWriteBytes(copy.AsSpan(8), RuleSnapshot.FormatVersion);
        BitConverter.TryWriteBytes(copy.AsSpan(12), (ulong)(copy.Length - 28));
        BitConverter.TryWriteBytes(copy.AsSpan(20), System.IO.Hashing.XxHash64.HashToUInt64(copy.AsSpan(28)));
        return copy;
    }

    /// <summary>Replaces the first worksheet part of <paramref name="workbook"/> with <paramref name="sheet"/>.</summary>
    public static byte[] WithSheet(byte[] workbook, byte[] sheet)
    {
        using var output = new MemoryStream();
        using (var source = new ZipArchive(new MemoryStream(workbook)))
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var entry in source.Entries)
            {
                using var write = target.CreateEntry(entry.FullName, CompressionLevel.NoCompression).Open();
                if (entry.FullName.Contains("worksheets/", StringComparison.Ordinal)) write.Write(sheet);
                else using (var read = entry.Open()) read.CopyTo(write);
            }
        return output.ToArray();
    }

    public static byte[] SheetOf(byte[] workbook)
    {
        using var source = new ZipArchive(new MemoryStream(workbook));
        var entry = source.Entries.First(e => e.FullName.Contains("worksheets/", StringComparison.Ordinal));
        using var read = entry.Open();
        using var m = new MemoryStream();
        read.CopyTo(m);
        return m.ToArray();
    }
}
