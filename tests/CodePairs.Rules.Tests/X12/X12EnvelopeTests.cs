using System.Text;
using CodePairs.Rules.Batch;
using CodePairs.Rules.Generation;
using CodePairs.Rules.X12;

namespace CodePairs.Rules.Tests.X12;

/// <summary>Envelopes, syntax and claim-level problems: each is located (segment number, id, element) and says why;
/// none stops the rest of the file.</summary>
public class X12EnvelopeTests
{
    private static readonly string Professional = X12Samples.Text("professional.837");

    private static string[] Problems(string text) => X12Samples.Read(text).OfType<BatchProblem>().Select(p => $"{p.Line}: {p.Reason}").ToArray();

    [Fact]
    public void BrokenEnvelopesAreReportedWhereTheyAreAndTheClaimsInsideAreStillChecked()
    {
        var broken = Professional.Replace("SE*62*48271~", "SE*61*48271~").Replace("SE*31*48272~", "SE*31*48279~")
            .Replace("GE*2*55501~", "GE*3*55501~").Replace("IEA*1*190457831~", "IEA*1*190457830~");
        Assert.Equal(
        [
            "64: segment 64 SE, SE01: says 61 segments; the transaction set from ST (segment 3) to SE has 62",
            "95: segment 95 SE, SE02: does not match ST02 of the transaction set at segment 65",
            "96: segment 96 GE, GE01: says 3 transaction sets; the functional group at segment 2 has 2",
            "97: segment 97 IEA, IEA02: does not match ISA13 of the interchange at segment 1",
        ], Problems(broken));
        var (_, rejected, summary) = X12Samples.Check(broken);
        Assert.Equal((6, 5, 4), (summary.LinesIn, summary.LinesValidated, summary.FileProblems));
        Assert.Contains("\r\n96,,,\"segment 96 GE, GE01: says 3 transaction sets; the functional group at segment 2 has 2\"\r\n", "\r\n" + rejected);
        Assert.Equal(2, summary.ExitCode);
    }

    [Fact]
    public void MissingAndMisplacedEnvelopeSegmentsAreNamed()
    {
        var noGe = Professional.Replace("GE*2*55501~\n", "");
        Assert.Equal(["96: segment 96 IEA: the functional group at segment 2 was not closed by GE"], Problems(noGe));
        var stray = Professional.Replace("GE*2*55501~", "REF*XX*STRAY~\nGE*2*55501~");
        Assert.Equal(["96: segment 96 REF: outside any transaction set (not between ST and SE); not read"], Problems(stray));
        var notClaims = Professional.Replace("ST*837*48272*005010X222A1", "ST*835*48272*005010X221A1");
        Assert.Equal("65: segment 65 ST, ST01: transaction set 835 is not an 837 health care claim; its segments are not read", Problems(notClaims).Single());
        // The claims of that set are CLMs all the same: counted in, and rejected as not checked.
        var (_, rejected, summary) = X12Samples.Check(notClaims);
        Assert.Equal((6, 3, 3), (summary.LinesIn, summary.LinesValidated, summary.LinesRejected));
        Assert.Contains("80,PCN-P-0004,80,not checked: a CLM in a transaction set that is not an 837", rejected);
    }

    [Fact]
    public void ATruncatedFileRejectsTheClaimItEndsInAndSaysWhatIsMissing()
    {
        var cut = Professional[..Professional.IndexOf("SV1*HC:99291*200.00", StringComparison.Ordinal)];
        var items = X12Samples.Read(cut);
        var last = Assert.IsType<BatchRejection>(items.Last(i => i is BatchRejection));
        Assert.Equal((90, "PCN-P-0006"), (last.Line, last.ClaimId));
        Assert.Equal("segment 90 CLM: the file ends inside the claim's transaction set (no SE), so the claim may be incomplete; not checked", last.Reason);
        Assert.Equal(
        [
            "92: the file ends (segment 92) inside the transaction set at segment 65: SE is missing",
            "92: the file ends (segment 92) inside the functional group at segment 2: GE is missing",
            "92: the file ends (segment 92) inside the interchange at segment 1: IEA is missing",
        ], Problems(cut));
    }

    [Fact]
    public void AFileThatDoesNotStartWithIsaFailsAsAWholeAndItsFormatIsToldByItsFirstSegment()
    {
        var e = Assert.Throws<BatchFileException>(() => X12Samples.Read("claim_id,date_of_service,code,mod1,mod2,mod3,mod4,units\nA1,2026-08-03,62323,,,,,1\n"));
        Assert.Equal("segment 1: the file does not start with an ISA segment: it is not an X12 file", e.Message);
        Assert.Throws<BatchFileException>(() => X12Samples.Read(""));
        Assert.Equal("segment 1: ISA: fewer than 16 elements before the segment terminator: the delimiters cannot be read",
            Assert.Throws<BatchFileException>(() => X12Samples.Read("ISA*00*short~GS*HC~")).Message);

        var head = Encoding.ASCII.GetBytes("\uFEFF\r\n" + Professional[..80]);
        Assert.Equal(BatchFormat.X12, BatchReader.FormatOf("claims.txt", [0xEF, 0xBB, 0xBF, .. Encoding.ASCII.GetBytes(Professional[..80])]));
        Assert.Equal(BatchFormat.X12, BatchReader.FormatOf("claims.txt", head[3..]));
        Assert.Equal(BatchFormat.Csv, BatchReader.FormatOf("claims.txt", "claim_id,date_of_service"u8));
        Assert.Equal(BatchFormat.Csv, BatchReader.FormatOf("ISA.csv", Encoding.ASCII.GetBytes(Professional[..80])));
        foreach (var name in new[] { "a.837", "a.X12", "a.edi" }) Assert.Equal(BatchFormat.X12, BatchReader.FormatOf(name));
        Assert.Equal(BatchFormat.JsonLines, BatchReader.FormatOf("a.jsonl", "ISA*"u8));
    }

    [Fact]
    public void ARunWithoutASegmentTerminatorIsNotHeldAndEndsTheReadingWithAProblem()
    {
        var cut = Professional.IndexOf("CLM*PCN-P-0006", StringComparison.Ordinal);
        var items = X12Samples.Read(Professional[..cut] + "CLM*PCN-P-0006*" + new string('A', 10_000_000));
        Assert.Equal("segment 90: no segment terminator within 64 KiB (not X12 from here); the rest of the file is not read",
            Assert.Single(items.OfType<BatchProblem>()).Reason);
        Assert.Equal(5, items.Count(i => i is BatchClaim or BatchRejection)); // the claims before it are all accounted for
    }

    [Theory]
    [InlineData("SV1*HC:99291*200.00*UN*1***1~\nDTP*472*D8*20260808~", "SV1*HC:99291*200.00*UN*1***1~", "segment 93 SV1: service line 1 has no date of service: no DTP*472 on the line and no DTP*472 on the claim")]
    [InlineData("DTP*472*D8*20260808~", "DTP*472*RD8*20260808-20260807~", "segment 94 DTP, DTP03: the date range ends before it starts")]
    [InlineData("DTP*472*D8*20260808~", "DTP*472*D8*20260231~", "segment 94 DTP, DTP03: not a date in the form CCYYMMDD (D8)")]
    [InlineData("DTP*472*D8*20260808~", "DTP*472*DT*202608081200~", "segment 94 DTP, DTP02: the date format must be D8 (a date) or RD8 (a range)")]
    [InlineData("DTP*472*D8*20260808~", "DTP*472*D8*20260808~\nDTP*472*D8*20260808~", "segment 95 DTP, DTP01: a second service date (472) in service line 1")]
    [InlineData("SV1*HC:99291*200.00*UN*1***1~", "SV1*HC:99291*200.00*XX*1***1~", "segment 93 SV1, SV103: the unit basis must be UN (units) or MJ (minutes)")]
    [InlineData("SV1*HC:99291*200.00*UN*1***1~", "SV1*HC:99291*200.00*UN*0***1~", "segment 93 SV1, SV104: the quantity must be greater than zero")]
    [InlineData("SV1*HC:99291*200.00*UN*1***1~", "SV1*HC:99291*200.00*UN*one***1~", "segment 93 SV1, SV104: the quantity is not a number")]
    [InlineData("SV1*HC:99291*200.00*UN*1***1~", "SV1*HC:99291*200.00*UN~", "segment 93 SV1, SV104: the quantity is empty")]
    [InlineData("SV1*HC:99291*200.00*UN*1***1~", "SV1*:99291*200.00*UN*1***1~", "segment 93 SV1, SV101-1: the product/service id qualifier is empty")]
    [InlineData("SV1*HC:99291*200.00*UN*1***1~", "SV2*0450*HC:99291*200.00*UN*1~", "segment 93 SV2: an SV2 service line in an 837P transaction set, which uses SV1")]
    [InlineData("SV1*HC:99291*200.00*UN*1***1~", "SV1*HC:99291*200.00*UN*1***1~\nSV1*HC:99291*200.00*UN*1***1~", "segment 94 SV1: a second SV1 in service line 1 (LX at segment 92)")]
    [InlineData("SV1*HC:99291*200.00*UN*1***1~", "NTE*ADD*NO SERVICE~", "segment 92 LX: service line 1 has no SV1")]
    [InlineData("CLM*PCN-P-0006*", "CLM**", "segment 90 CLM, CLM01: the claim id (patient control number) is empty")]
    public void AClaimThatCannotBeReadIsRejectedWithTheSegmentElementAndReason(string find, string replace, string reason)
    {
        Assert.Contains(find, Professional);
        var items = X12Samples.Read(Professional.Replace(find, replace));
        var rejected = items.OfType<BatchRejection>().Single(r => r.ClaimSegment == 90);
        Assert.Equal($"{reason}; the claim (CLM at segment 90) is not checked", rejected.Reason);
        Assert.Equal(6, items.Count(i => i is BatchClaim or BatchRejection)); // every claim in is accounted for
    }

    [Theory]
    [InlineData("CLM*PCN-P-0006*200.00***11:B:1*", "CLM*PCN-P-0006*200.00***11:B:8*", "not checked: the claim is a void/cancel of a prior claim (CLM05-3 frequency 8, segment 90)")]
    [InlineData("SV1*HC:99291*200.00*UN*1***1", "SV1*IV:H0001*200.00*UN*1***1", "not checked: no service line carries an HC (HCPCS/CPT) code (line 1, segment 93: IV:H0001)")]
    [InlineData("LX*1~\nSV1*HC:99291*200.00*UN*1***1~\nDTP*472*D8*20260808~\n", "", "segment 90 CLM: the claim has no service line (loop 2400: LX with SV1/SV2); not checked")]
    public void AClaimThatIsReadButCannotBeCheckedIsRejectedAsNotChecked(string find, string replace, string reason)
    {
        Assert.Contains(find, Professional);
        var rejected = X12Samples.Read(Professional.Replace(find, replace)).OfType<BatchRejection>().Single(r => r.ClaimSegment == 90);
        Assert.Equal(reason, rejected.Reason);
    }

    [Fact]
    public void DentalAndUnknownImplementationsAreNotCheckedAndSaySo()
    {
        var dental = Professional.Replace("ST*837*48272*005010X222A1", "ST*837*48272*005010X224A2");
        Assert.Equal("not checked: a dental claim (837D); NCCI edits cover CPT/HCPCS services, not CDT",
            X12Samples.Read(dental).OfType<BatchRejection>().Single(r => r.ClaimSegment == 90).Reason);
        var unknown = Professional.Replace("ST*837*48272*005010X222A1", "ST*837*48272*004010X098A1");
        Assert.Equal("65: segment 65 ST, ST03: the implementation guide is neither 837P (005010X222A1) nor 837I (005010X223A2); its claims are not checked",
            Problems(unknown).Single());
    }

    [Theory]
    [InlineData(false, 64 * 1024)]
    [InlineData(true, 48 * 1024)]
    public void ChunksCutAtClaimsReadExactlyAsTheWholeFile(bool institutional, int chunkBytes)
    {
        var generator = new ReleaseGenerator(GeneratorOptions.Small(7));
        var file = new MemoryStream();
        generator.WriteClaims837(file, 20_000, seed: 3, institutional, claimsPerTransaction: 700);
        // A broken envelope inside a transaction set that spans chunks is still found, and at the same segment.
        var text = Encoding.ASCII.GetString(file.ToArray()).Replace("SE*", "SE*9", StringComparison.Ordinal);
        var bytes = Encoding.ASCII.GetBytes(text);

        var (whole, wholeRejected, wholeSummary) = X12Samples.Check(text);
        var chunks = X12ChunkPlanner.Plan(new MemoryStream(bytes), chunkBytes);
        Assert.True(chunks.Count > 5, $"expected several chunks, got {chunks.Count}");
        Assert.Equal(wholeSummary.LinesIn, chunks.Sum(c => c.Claims));
        var results = new StringWriter();
        var rejected = new StringWriter();
        var claims = 0;
        for (var i = 0; i < chunks.Count; i++)
        {
            var c = chunks[i];
            var range = bytes.AsMemory((int)c.Offset, c.Length < 0 ? bytes.Length - (int)c.Offset : (int)c.Length).ToArray();
            var slice = new BatchSlice(c.FirstSegment, null) { X12Start = c.Start, EndsFile = i == chunks.Count - 1 };
            var summary = BatchCheck.Run(new BatchReader(new MemoryStream(range), BatchFormat.X12, Setting.Practitioner, slice), TestRules.Validator(),
                results, rejected, includeInfo: true);
            Assert.Equal(c.Claims, summary.LinesIn);
            Assert.Equal(summary.LinesIn, summary.LinesValidated + summary.LinesRejected);
            claims += summary.LinesIn;
        }
        Assert.Equal(whole, results.ToString());
        Assert.Equal(wholeRejected, rejected.ToString());
        Assert.Equal(wholeSummary.LinesIn, claims);
        Assert.True(wholeSummary.FileProblems > 0 && wholeSummary.LinesRejected > 0 && wholeSummary.ServiceLinesNotChecked > 0);
    }

    [Fact]
    public void TheGeneratedFilesReadWithoutEnvelopeProblemsAndTheGeneratorIsDeterministic()
    {
        var generator = new ReleaseGenerator(GeneratorOptions.Small(7));
        byte[] Write(bool institutional, bool lineBreaks)
        {
            var s = new MemoryStream();
            generator.WriteClaims837(s, 5_000, seed: 11, institutional, claimsPerTransaction: 300, lineBreaks);
            return s.ToArray();
        }
        foreach (var institutional in new[] { false, true })
        {
            var bytes = Write(institutional, lineBreaks: true);
            Assert.Equal(bytes, Write(institutional, lineBreaks: true));
            var (_, _, summary) = X12Samples.Check(Encoding.ASCII.GetString(bytes));
            Assert.Equal(0, summary.FileProblems);
            Assert.Equal(5_000, summary.ServiceLines);
            Assert.Equal(summary.LinesIn, summary.LinesValidated + summary.LinesRejected);
            Assert.Equal(summary.ToString(), X12Samples.Check(Encoding.ASCII.GetString(Write(institutional, lineBreaks: false))).Summary.ToString());
        }
    }
}
