using System.IO.Compression;
using System.Text;
using CodePairs.Rules.Batch;

namespace CodePairs.Rules.Tests.Batch;

/// <summary>Issue 11, point 2, in the engine: no line, claim, encoding or gzip file can make the reader hold more than a fixed amount.</summary>
public class BoundedInputTests
{
    private const string Header = "claim_id,date_of_service,code,mod1,mod2,mod3,mod4,units\n";
    private const long GiB = 1024L * 1024 * 1024;

    [Fact]
    public void ALineOfOneGibibyteIsRejectedUnreadAndTheLinesAroundItAreValidated()
    {
        var input = new RepeatStream(Header + "A1,2026-08-03,62323,,,,,1\nB2,", "x", GiB, "\nC3,2026-08-03,99291,,,,,1\n");
        var before = GC.GetAllocatedBytesForCurrentThread();
        var items = new BatchReader(input, BatchFormat.Csv).Read().ToList();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(3, items.Count);
        Assert.Equal("A1", Assert.IsType<BatchClaim>(items[0]).Claim.ClaimId);
        var rejected = Assert.IsType<BatchRejection>(items[1]);
        Assert.Equal((3, "the line is longer than 65,536 characters; it was not read"), (rejected.Line, rejected.Reason));
        Assert.Equal([4], Assert.IsType<BatchClaim>(items[2]).InputLines);
        Assert.True(allocated < 16 * 1024 * 1024, $"reading a 1 GiB line allocated {allocated:N0} bytes");
    }

    [Fact]
    public void AJsonLineOfOneGibibyteIsRejectedUnread()
    {
        var input = new RepeatStream("{\"claimId\":\"", "y", GiB / 4, "\"}\n{\"claimId\":\"J2\",\"dateOfService\":\"2026-08-03\",\"lines\":[{\"code\":\"99291\"}]}\n");
        var before = GC.GetAllocatedBytesForCurrentThread();
        var items = new BatchReader(input, BatchFormat.JsonLines).Read().ToList();
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 * 1024 * 1024);
        Assert.Equal(1, Assert.IsType<BatchRejection>(items[0]).Line);
        Assert.Equal([2], Assert.IsType<BatchClaim>(items[1]).InputLines);
    }

    [Fact]
    public void AClaimPastTheLineLimitIsRejectedAsSoonAsItPassesItWithoutHoldingItsLines()
    {
        // 2M lines of one claim id (the issue: 735 MB), then a good claim.
        const int lines = 2_000_000;
        const string line = "A1,2026-08-03,62323,,,,,1\n";
        var input = new RepeatStream(Header, line, lines, "B2,2026-08-03,99291,,,,,1\n");
        long readAtFirst = -1, readAtMillionth = -1, count = 0;
        BatchItem? last = null;
        var reason = "";
        foreach (var item in new BatchReader(input, BatchFormat.Csv).Read())
        {
            count++;
            if (count == 1) { readAtFirst = input.BytesRead; reason = Assert.IsType<BatchRejection>(item).Reason; }
            if (count == 1_000_000) readAtMillionth = input.BytesRead;
            last = item;
        }
        Assert.Equal(lines + 1, count); // every line accounted for: 2M rejections and one claim
        Assert.Equal("the claim has more than 100 lines; a claim may have at most 100: none of its lines was checked", reason);
        // Items come out while the input is read: at most a read buffer (64 KiB + 64 Ki chars) ahead of line 102.
        Assert.InRange(readAtFirst, 101 * line.Length, 101 * line.Length + 256 * 1024);
        Assert.InRange(readAtMillionth, 1_000_000L * line.Length, 1_000_000L * line.Length + 256 * 1024);
        Assert.Equal([lines + 2], Assert.IsType<BatchClaim>(last).InputLines);
    }

    [Fact]
    public void AClaimOfExactlyTheLimitIsValidatedAndTheLimitPlusOneIsRejectedWhole()
    {
        string File(int n, string id = "A1") => Header + string.Concat(Enumerable.Repeat($"{id},2026-08-03,62323,,,,,1\n", n));
        var at = new BatchReader(new MemoryStream(Encoding.UTF8.GetBytes(File(ClaimLimits.MaxLines) + "B2,2026-08-03,99291,,,,,1\n")), BatchFormat.Csv).Read().ToList();
        Assert.Equal(ClaimLimits.MaxLines, Assert.IsType<BatchClaim>(at[0]).Claim.Lines.Count);
        var over = new BatchReader(new MemoryStream(Encoding.UTF8.GetBytes(File(ClaimLimits.MaxLines + 1) + File(3, "A1")[Header.Length..].Replace("A1", "C3") + "A1,2026-08-03,62323,,,,,1\n")),
            BatchFormat.Csv).Read().ToList();
        var rejections = over.OfType<BatchRejection>().ToList();
        Assert.Equal(Enumerable.Range(2, ClaimLimits.MaxLines + 1), rejections.Select(r => r.Line));
        Assert.All(rejections, r => Assert.Equal("A1", r.ClaimId));
        Assert.Equal(3, Assert.IsType<BatchClaim>(over[ClaimLimits.MaxLines + 1]).Claim.Lines.Count); // C3 after the cut-off claim
        Assert.Equal("A1", Assert.IsType<BatchClaim>(over[^1]).Claim.ClaimId); // A1 again later is a new claim
    }

    public static TheoryData<string, byte[], string> NotText() => new()
    {
        { "NUL bytes", [.. Encoding.UTF8.GetBytes(Header), 0, 0, 0, 10], $"byte {Header.Length + 1}: the file holds a NUL byte" },
        { "zeros", new byte[100_000], "byte 1: the file holds a NUL byte" },
        { "UTF-16 LE with a mark", [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(Header)], "the file is UTF-16" },
        { "UTF-16 BE with a mark", [0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes(Header)], "the file is UTF-16" },
        { "UTF-16 LE without a mark", Encoding.Unicode.GetBytes(Header), "byte 2: the file holds a NUL byte, so it is binary data or UTF-16 text" },
        { "a zip or xlsx", [.. "PK\u0003\u0004"u8, .. Encoding.UTF8.GetBytes(Header)], "the file is a zip archive" },
        { "gzip not named .gz", Gzip(Encoding.UTF8.GetBytes(Header)), "the content is gzip-compressed" },
    };

    [Theory]
    [MemberData(nameof(NotText))]
    public void ContentThatIsNotUtf8TextFailsTheFileAtOnceWithAReason(string what, byte[] bytes, string reason)
    {
        foreach (var format in new[] { BatchFormat.Csv, BatchFormat.JsonLines })
        {
            var e = Assert.Throws<BatchFileException>(() => new BatchReader(new MemoryStream(bytes), format).Read().ToList());
            Assert.True(e.Message.StartsWith(reason, StringComparison.Ordinal), $"{what} ({format}): {e.Message}");
        }
    }

    [Fact]
    public void AnEmptyFileFailsInEitherFormatAndAUtf8MarkIsStillFine()
    {
        Assert.StartsWith("line 1: the file is empty", Assert.Throws<BatchFileException>(() => new BatchReader(new MemoryStream(), BatchFormat.Csv).Read().ToList()).Message);
        Assert.Equal("the file is empty: it holds no JSON line", Assert.Throws<BatchFileException>(() => new BatchReader(new MemoryStream(), BatchFormat.JsonLines).Read().ToList()).Message);
        var items = new BatchReader(new MemoryStream([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Header + "A1,2026-08-03,62323,,,,,1\n")]), BatchFormat.Csv).Read().ToList();
        Assert.IsType<BatchClaim>(Assert.Single(items));
    }

    [Fact]
    public void AHeaderLongerThanTheLineCapFailsTheFileUnread()
        => Assert.StartsWith("line 1: the header is longer than 65,536 characters",
            Assert.Throws<BatchFileException>(() => new BatchReader(new RepeatStream("claim_id", ",x", GiB / 8, "\n"), BatchFormat.Csv).Read().ToList()).Message);

    [Fact]
    public void LinesAreSplitExactlyAsReadLineSplitsThemWhateverTheBufferBoundaries()
    {
        var random = new Random(11);
        for (var run = 0; run < 200; run++)
        {
            var sb = new StringBuilder();
            var pieces = new[] { "\r", "\n", "\r\n", "a", "bc", "é", new string('z', random.Next(1, 70_000)) };
            for (var i = 0; i < random.Next(1, 40); i++) sb.Append(pieces[random.Next(pieces.Length)]);
            var text = sb.ToString();
            var expected = new List<string?>();
            using (var r = new StringReader(text)) for (string? l; (l = r.ReadLine()) is not null;) expected.Add(l.Length > BatchLimits.MaxLineChars ? null : l);
            var actual = new List<string?>();
            var source = new LineSource(new StringReader(text));
            while (source.Next(out var line)) actual.Add(line);
            Assert.Equal(expected, actual);
        }
    }

    private static byte[] Gzip(byte[] bytes) => RepeatStream.Gzip(new MemoryStream(bytes));

    private static byte[] Inflate(byte[] gz, GzipLimits? limits = null)
    {
        using var s = new GzipInputStream(new MemoryStream(gz), limits);
        var output = new MemoryStream();
        s.CopyTo(output);
        return output.ToArray();
    }

    private static readonly byte[] Claims = Encoding.UTF8.GetBytes(Header + string.Concat(Enumerable.Range(0, 2000).Select(i => $"C{i},2026-08-03,{10000 + i * 37 % 89999},,,,,1\n")));

    [Fact]
    public void AWholeGzipFileInflatesToItsBytes()
        => Assert.Equal(Claims, Inflate(Gzip(Claims)));

    [Fact]
    public void AGzipFilesTrailerGivesItsInflatedLengthAsAPlanningHint()
    {
        var gz = Gzip(Claims);
        Assert.Equal(Claims.Length, GzipInputStream.InflatedLengthHint(gz.AsSpan(gz.Length - 4)));
        Assert.Equal(-1, GzipInputStream.InflatedLengthHint(gz.AsSpan(0, 3)));
    }

    [Fact]
    public void ATruncatedGzipFileFailsWhereverItIsCutNotReadAsAShorterFile()
    {
        // The defect: the first half of a 2,000-line .csv.gz reported completed with 946 lines.
        var gz = Gzip(Claims);
        foreach (var cut in new[] { gz.Length / 2, gz.Length - 8, gz.Length - 4, gz.Length - 1, 10, 1 })
            Assert.Contains("truncated", Assert.Throws<BatchFileException>(() => Inflate(gz[..cut])).Message);
        Assert.Equal("the gzip file is empty", Assert.Throws<BatchFileException>(() => Inflate([])).Message);
    }

    [Fact]
    public void ACorruptOrConcatenatedGzipFileFailsWithAReason()
    {
        var gz = Gzip(Claims);
        var flipped = gz.ToArray();
        flipped[gz.Length / 2] ^= 0x55;
        Assert.Matches("not valid gzip|truncated or corrupt", Assert.Throws<BatchFileException>(() => Inflate(flipped)).Message);
        var crc = gz.ToArray();
        crc[^6] ^= 1;
        Assert.Matches("not valid gzip|trailer does not match", Assert.Throws<BatchFileException>(() => Inflate(crc)).Message);
        Assert.Contains("concatenated", Assert.Throws<BatchFileException>(() => Inflate([.. gz, .. gz])).Message);
        Assert.StartsWith("the file is not valid gzip", Assert.Throws<BatchFileException>(() => Inflate(Claims)).Message);
    }

    [Fact]
    public void InflationStopsAtTheByteRatioAndTimeCapsWithoutReadingOn()
    {
        // A gzip bomb: one claim id on 10M lines, 256 MiB of CSV in ≈ 1 MB (the was 1 GiB in 2.6 MB).
        var bomb = RepeatStream.Gzip(new RepeatStream(Header, "A1,2026-08-03,62323,,,,,1\n", GiB / 4 / 26));
        var ratio = Assert.Throws<BatchFileException>(() => Inflate(bomb));
        Assert.Contains("inflates more than 100×", ratio.Message);
        var limits = GzipLimits.Default with { MaxBytesOut = 1024 * 1024, MaxRatio = int.MaxValue };
        Assert.StartsWith("the gzip file inflates to more than 1,048,576 bytes", Assert.Throws<BatchFileException>(() => Inflate(bomb, limits)).Message);
        Assert.StartsWith("inflating the gzip file took longer than 0 s",
            Assert.Throws<BatchFileException>(() => Inflate(bomb, GzipLimits.Default with { MaxTime = TimeSpan.Zero, MaxRatio = int.MaxValue })).Message);
        // Small repetitive files are below the ratio floor and inflate fine.
        Assert.Equal(8 * 1024 * 1024, Inflate(RepeatStream.Gzip(new RepeatStream("", "A1,2026-08-03,62323,,,,,1\n".PadRight(32, ' '), 256 * 1024))).Length);
    }
}
