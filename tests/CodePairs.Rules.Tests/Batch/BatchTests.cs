using System.Text;
using CodePairs.Rules.Batch;

namespace CodePairs.Rules.Tests.Batch;

public class BatchTests
{
    private const string Header = "claim_id,date_of_service,code,mod1,mod2,mod3,mod4,units";

    private static List<BatchItem> Read(string text, BatchFormat format = BatchFormat.Csv, bool bom = false)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bom) bytes = [0xEF, 0xBB, 0xBF, .. bytes];
        return new BatchReader(new MemoryStream(bytes), format).Read().ToList();
    }

    [Fact]
    public void GroupsConsecutiveLinesByClaimIdWithBomAndCrlf()
    {
        var items = Read(Header + "\r\nA1,2026-08-03,62323,,,,,1\r\nA1,2026-08-03,77003,59,,,,1\r\nB2,2026-08-03,99291,,,,,1\r\n", bom: true);
        Assert.Equal(2, items.Count);
        var a = Assert.IsType<BatchClaim>(items[0]);
        Assert.Equal("A1", a.Claim.ClaimId);
        Assert.Equal([2, 3], a.InputLines);
        Assert.Equal("59", a.Claim.Lines[1].Modifiers[0].ToString());
        Assert.Equal([4], Assert.IsType<BatchClaim>(items[1]).InputLines);
    }

    [Fact]
    public void HandlesQuotedCommasAndTheSettingColumnWithLfEndings()
    {
        var items = Read(Header + ",setting\n\"A,1\",2026-08-03,\"62323\",,,,,2,hospital\n");
        var c = Assert.IsType<BatchClaim>(Assert.Single(items));
        Assert.Equal("A,1", c.Claim.ClaimId);
        Assert.Equal(Setting.Hospital, c.Claim.Setting);
        Assert.Equal(2, c.Claim.Lines[0].Units);
    }

    [Fact]
    public void RejectsBadLinesWithTheirLineNumberAndReasonAndAccountsForEveryLine()
    {
        var text = Header + "\n" +
                   "A1,2026-08-03,62323,,,,,1\n" +        // 2 ok
                   "\n" +                                  // 3 empty
                   "B2,2026-08-03,6232,,,,,1\n" +          // 4 bad code
                   "B2,2026-08-03,77003,,,,,1\n" +         // 5 same claim: not checked
                   "C3,2026-13-03,62323,,,,,1\n" +         // 6 bad date
                   "D4,2026-08-03,62323,,,,,x\n" +         // 7 bad units
                   "E5,2026-08-03,62323,,,,\n" +           // 8 wrong column count
                   "F6,2026-08-03,62323,ZZZ,,,,1\n" +      // 9 bad modifier
                   "G7,2026-08-03,62323,,,,,0\n" +         // 10 units out of range
                   "H8,2026-08-03,\"62323,,,,,1\n";        // 11 unclosed quote
        var items = Read(text);
        var rejected = items.OfType<BatchRejection>().ToDictionary(r => r.Line, r => r.Reason);
        Assert.Equal("empty line", rejected[3]);
        Assert.Equal("code: '6232' is 4 characters; a CPT/HCPCS code has exactly 5", rejected[4]);
        Assert.Equal("not checked: line 4 of the same claim was rejected", rejected[5]);
        Assert.Equal("date_of_service: '2026-13-03' is not a date in the form YYYY-MM-DD", rejected[6]);
        Assert.Equal("units: 'x' is not a whole number", rejected[7]);
        Assert.Equal("expected 8 comma-separated columns, found 7", rejected[8]);
        Assert.Equal("mod1: 'ZZZ' is not a modifier: expected 2 characters from 0-9 and A-Z", rejected[9]);
        Assert.Equal("units: must be a whole number from 1 to 99999; got 0", rejected[10]);
        Assert.Equal("a quoted field is not closed on this line", rejected[11]);
        var validated = items.OfType<BatchClaim>().Sum(c => c.Claim.Lines.Count);
        Assert.Equal(10, validated + rejected.Count);
    }

    [Fact]
    public void AMissingOrWrongHeaderFailsTheFile()
    {
        Assert.Equal("line 1: expected the header 'claim_id,date_of_service,code,mod1,mod2,mod3,mod4,units[,setting]', found 'A1,2026-08-03,62323,,,,,1'",
            Assert.Throws<BatchFileException>(() => Read("A1,2026-08-03,62323,,,,,1\n")).Message);
    }

    [Fact]
    public void ReadsJsonLinesOneClaimPerLine()
    {
        var items = Read("{\"claimId\":\"J1\",\"setting\":\"practitioner\",\"dateOfService\":\"2026-08-03\",\"lines\":[{\"code\":\"62323\"},{\"code\":\"77003\",\"modifiers\":[\"XU\"]}]}\n" +
                         "{not json}\n" +
                         "{\"claimId\":\"J3\",\"dateOfService\":\"2026-08-03\",\"lines\":[{\"code\":\"123\"}]}\n", BatchFormat.JsonLines);
        Assert.Equal(2, Assert.IsType<BatchClaim>(items[0]).Claim.Lines.Count);
        Assert.StartsWith("not a JSON claim", Assert.IsType<BatchRejection>(items[1]).Reason);
        Assert.Equal("line 1: code: '123' is 3 characters; a CPT/HCPCS code has exactly 5", Assert.IsType<BatchRejection>(items[2]).Reason);
    }

    [Fact]
    public void JsonLinesAccountingCountsInputLinesNotServiceLines()
    {
        var text = "{\"claimId\":\"J1\",\"dateOfService\":\"2026-08-03\",\"lines\":[{\"code\":\"62323\"},{\"code\":\"77003\"}]}\n{oops}\n";
        var summary = BatchCheck.Run(new MemoryStream(Encoding.UTF8.GetBytes(text)), BatchFormat.JsonLines, TestRules.Validator(), new StringWriter());
        Assert.Equal((2, 1, 1), (summary.LinesIn, summary.LinesValidated, summary.LinesRejected));
    }

    [Fact]
    public void CheckWritesOneRowPerFindingACleanRowPerCleanClaimAndASummary()
    {
        var text = Header + "\n" +
                   "A1,2026-08-03,13121,,,,,1\nA1,2026-08-03,13120,,,,,1\n" + // indicator-0 PTP: deny
                   "B2,2026-08-03,99291,,,,,1\n" +                            // clean
                   "C3,2026-08-03,1312,,,,,1\n";                              // rejected
        var output = new StringWriter();
        var summary = BatchCheck.Run(new MemoryStream(Encoding.UTF8.GetBytes(text)), BatchFormat.Csv, TestRules.Validator(), output);
        var rows = output.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(BatchCheck.ResultHeader, rows[0]);
        Assert.StartsWith("A1,2;3,finding,deny,ptp,ptp.indicator-0,1;2,2,13121;13120,ptp-practitioner v322r0,", rows[1]);
        Assert.Contains("B2,4,clean,,,,,,,ptp-practitioner v322r0;aoc AOC_V2026Q3;mue-practitioner 2026-07-01,", rows);
        Assert.Contains(rows, r => r.StartsWith("C3,5,rejected,"));
        Assert.Equal(2, summary.Claims);
        Assert.Equal(4, summary.LinesIn);
        Assert.Equal(summary.LinesIn, summary.LinesValidated + summary.LinesRejected);
        Assert.Equal(1, summary.FindingsByKind["ptp"]);
        Assert.Equal(2, summary.ExitCode);
    }

    [Fact]
    public void JsonLinesCountFileLinesSoLinesInEqualsValidatedPlusRejected()
    {
        var text = "{\"claimId\":\"J1\",\"dateOfService\":\"2026-08-03\",\"lines\":[{\"code\":\"62323\"},{\"code\":\"77003\"}]}\n{bad}\n";
        var rejected = new StringWriter();
        var summary = BatchCheck.Run(new BatchReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), BatchFormat.JsonLines), TestRules.Validator(),
            new StringWriter(), rejected);
        Assert.Equal((2, 1, 1), (summary.LinesIn, summary.LinesValidated, summary.LinesRejected));
        Assert.StartsWith("2,,\"not a JSON claim", rejected.ToString());
        Assert.Equal(["aoc AOC_V2026Q3", "mue-practitioner 2026-07-01", "ptp-practitioner v322r0"], summary.TablesUsed);
    }

    [Fact]
    public void ASliceWithoutTheHeaderReadsWithFileLineNumbers()
    {
        var slice = "A1,2026-08-03,62323,,,,,1,hospital\nB2,2026-08-03,6232,,,,,1,\n";
        var items = new BatchReader(new MemoryStream(Encoding.UTF8.GetBytes(slice)), BatchFormat.Csv, Setting.Practitioner, new BatchSlice(41, 9)).Read().ToList();
        var claim = Assert.IsType<BatchClaim>(items[0]);
        Assert.Equal([41], claim.InputLines);
        Assert.Equal(Setting.Hospital, claim.Claim.Setting);
        Assert.Equal(42, Assert.IsType<BatchRejection>(items[1]).Line);
        Assert.Equal("A1", BatchReader.ClaimIdOf("A1,2026-08-03"));
        Assert.Equal("A,1", BatchReader.ClaimIdOf("\"A,1\",2026-08-03"));
        Assert.Null(BatchReader.ClaimIdOf(" ,x"));
        Assert.Equal(9, BatchReader.CsvWidth(Header + ",setting"));
    }
}
