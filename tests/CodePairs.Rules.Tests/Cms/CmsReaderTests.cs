using System.Text;
using CodePairs.Rules.Cms;
using static CodePairs.Rules.Tests.Cms.CmsFixtures;

namespace CodePairs.Rules.Tests.Cms;

public class CmsReaderTests
{
    private static readonly string[] RealRows =
    [
        "0001A\t0591T\t\t20220101\t20231231\t1\tCPT Manual or CMS manual coding instruction",
        "13121\t13120\t\t19960101\t19960101\t9\tCPT Manual or CMS manual coding instruction",
        "13121\t13120\t*\t19960101\t*\t0\tCPT Manual or CMS manual coding instruction",
        "17000\t17281\t\t19990701\t20041231\t1\tMutually exclusive procedures",
        "17000\t17281\t\t19990701\t19990701\t9\tHCPCS/CPT procedure code definition",
    ];

    private static (ReleaseBuilder.PtpRows Rows, int Count) ReadPtp(byte[] text, string name = "ccipra-v322r0-f1.TXT")
    {
        var sink = new ReleaseBuilder("v322r0", new DateOnly(2026, 7, 1)).PtpTable(PtpTable.Practitioner, "v322r0");
        var count = PtpTextFile.Read(new MemoryStream(text), name, sink);
        return (sink, count);
    }

    [Fact]
    public void ReadsTheRealPtpRowsQuotedInNcciMd()
    {
        var (rows, count) = ReadPtp(PtpText(RealRows));
        Assert.Equal(5, count);
        var expected = new ReleaseBuilder("x", new DateOnly(2026, 7, 1)).AddPtp(PtpTable.Practitioner, "v322r0", RealRows.Select(CmsRows.Ptp)).Ptp[0]!;
        Assert.Equal(expected.Column1, rows.Column1);
        Assert.Equal(expected.Column2, rows.Column2);
        Assert.Equal(expected.Effective, rows.Effective);
        Assert.Equal(expected.Deletion, rows.Deletion);
        Assert.Equal(expected.Meta, rows.Meta);
        Assert.Equal(expected.Rationales, rows.Rationales);
        // prior-to-1996 '*', open deletion '*', and indicator 9 all arrive.
        Assert.Equal(4, rows.Meta[2] & 4);
        Assert.Equal(NcciDate.Open, rows.Deletion[2]);
        Assert.Equal(2, rows.Meta[1] & 3);
    }

    [Fact]
    public void AcceptsLfLineEndingsAndLatin1Rationales()
    {
        var text = Encoding.Latin1.GetBytes(string.Join("\n", PtpTextFile.Preamble) + "\n13121\t13120\t*\t19960101\t*\t0\tStandards of m\u00e9dical practice\n\n");
        var (rows, count) = ReadPtp(text);
        Assert.Equal(1, count);
        Assert.Contains("Standards of m\u00e9dical practice", rows.Rationales.Keys);
    }

    [Theory]
    [InlineData("13121\t13120\t*\t19960101\t*\t0", "ccipra-v322r0-f1.TXT, line 7: expected 7 tab-separated columns, found 6 (the file is rejected)")]
    [InlineData("1312\t13120\t*\t19960101\t*\t0\tX", "ccipra-v322r0-f1.TXT, line 7: column 1: '1312' is 4 characters; a CPT/HCPCS code has exactly 5 (the file is rejected)")]
    [InlineData("13121\t1312X\t*\t19960101\t*\t0\tX", "ccipra-v322r0-f1.TXT, line 7: column 2: '1312X' is not a CPT/HCPCS code: expected 5 digits (CPT Category I), 4 digits followed by F (Category II), T (Category III), U (PLA), A or M (Category I), or a letter followed by 4 digits (HCPCS Level II) (the file is rejected)")]
    [InlineData("13121\t13120\t*\t19961301\t*\t0\tX", "ccipra-v322r0-f1.TXT, line 7: column 4 (effective date): '19961301' is not a date YYYYMMDD (the file is rejected)")]
    [InlineData("13121\t13120\t*\t19960101\t2023-12-31\t0\tX", "ccipra-v322r0-f1.TXT, line 7: column 5 (deletion date): '2023-12-31' is not a date YYYYMMDD or '*' (the file is rejected)")]
    [InlineData("13121\t13120\t*\t19960101\t*\t2\tX", "ccipra-v322r0-f1.TXT, line 7: column 6 (modifier indicator): expected 0, 1 or 9, found '2' (the file is rejected)")]
    [InlineData("13121\t13120\tY\t19960101\t*\t0\tX", "ccipra-v322r0-f1.TXT, line 7: column 3 (in existence prior to 1996): expected '*' or blank, found 'Y' (the file is rejected)")]
    [InlineData("13121\t13120\t\t20200101\t20191231\t0\tX", "ccipra-v322r0-f1.TXT, line 7: deletion date 20191231 is before effective date 20200101 (the file is rejected)")]
    [InlineData("13121\t13120\t\t20200101\t*\t0\t", "ccipra-v322r0-f1.TXT, line 7: column 7 (PTP edit rationale) is empty (the file is rejected)")]
    public void RejectsABadPtpRowNamingFileLineAndReason(string row, string message)
        => Assert.Equal(message, Error(() => ReadPtp(PtpText([row]))));

    [Fact]
    public void ListsTheFirstProblemsAndCountsTheRest()
    {
        var rows = RealRows.Concat(Enumerable.Repeat("13121\t13120\t*\t19960101\t*\t7\tX", 25)).ToArray();
        var e = Assert.Throws<CmsFileException>(() => ReadPtp(PtpText(rows)));
        Assert.Equal(25, e.TotalProblems);
        Assert.Equal(CmsFileException.MaxListed, e.Problems.Count);
        Assert.StartsWith("ccipra-v322r0-f1.TXT: 25 problems, the file is rejected\n  ccipra-v322r0-f1.TXT, line 12: column 6 (modifier indicator): expected 0, 1 or 9, found '7'", e.Message);
        Assert.EndsWith("… and 5 more", e.Message);
    }

    [Fact]
    public void RejectsAPtpFileWithoutItsPreamble()
    {
        var text = Encoding.Latin1.GetBytes(string.Concat(RealRows.Concat(RealRows).Select(r => r + "\r\n")));
        Assert.Equal("ccipra-v322r0-f1.TXT, line 2: expected 'Column1/Column2 Edits', found '13121→13120→→19960101→19960101→9→CPT Man…': this is not a CMS PTP .TXT file, or its 6-line preamble is missing (the file is rejected)",
            Error(() => ReadPtp(text)));
    }

    [Fact]
    public void ReadsTheAddOnWorkbookByHeaderNamesWithJulianDatesAndThePlaceholder()
    {
        var rows = AddOnWorkbook.Read(new MemoryStream(AocWorkbook(TestRules.AddOns.Select(CmsRows.AddOn))), "AOC.xlsx");
        Assert.Equal(TestRules.AddOns.Select(CmsRows.AddOn), rows);
        var type2 = Assert.Single(rows, r => r.Type == AddOnType.Type2);
        Assert.True(type2.Primary.IsEmpty);
        Assert.Equal(new DateOnly(2023, 12, 31), rows.Single(r => r.Primary == HcpcsCode.Parse("97597")).PrimaryDeletion);
    }

    [Fact]
    public void ReadsOlderHeaderSpellingsInAnotherColumnOrderAfterATitleRow()
    {
        var book = Workbook(
            ["Medicare NCCI Add-on Code Edits"],
            ["AOC Edit Type", "Primary Code", "Add-On Code", "AOC Deletion Date", "Primary Code Deletion Date", "AOC Edit Effective Date", "AOC Edit Deletion Date", "Special Instruction Notes"],
            ["1", "64493", "64494", "", "", "2010001", "*", "Report with 64493"],
            ["2", "CCCCC", "0592T", "", "", "2020060", "", ""]);
        var rows = AddOnWorkbook.Read(new MemoryStream(book), "AOC.xlsx");
        Assert.Equal(new AddOnRow(HcpcsCode.Parse("64494"), null, HcpcsCode.Parse("64493"), null, AddOnType.Type1, new DateOnly(2010, 1, 1), null, "Report with 64493"), rows[0]);
        Assert.Equal(new DateOnly(2020, 2, 29), rows[1].EditEffective); // Julian day 60 of a leap year
    }

    [Theory]
    [InlineData("1", "64493", "64494", "20100101", "AOC.xlsx, line 3: AOC edit effective date: '20100101' is not a Julian date YYYYDDD (the file is rejected)")]
    [InlineData("1", "6449", "64494", "2010001", "AOC.xlsx, line 3: primary code: '6449' is 4 characters; a CPT/HCPCS code has exactly 5 (the file is rejected)")]
    [InlineData("4", "64493", "64494", "2010001", "AOC.xlsx, line 3: AOC edit type: expected 1, 2 or 3, found '4' (the file is rejected)")]
    [InlineData("1", "CCCCC", "64494", "2010001", "AOC.xlsx, line 3: type 1 add-on 64494 has the placeholder CCCCC; types 1 and 3 list a primary code (the file is rejected)")]
    [InlineData("1", "64493", "64494", "2010366", "AOC.xlsx, line 3: AOC edit effective date: '2010366' is not a Julian date YYYYDDD (the file is rejected)")]
    public void RejectsABadAddOnRow(string type, string primary, string addOn, string effective, string message)
    {
        var book = Workbook(AddOnWorkbook.Headers, ["64494", "", "64493", "", "1", "2010001", "", ""], [addOn, "", primary, "", type, effective, "", ""]);
        Assert.Equal(message, Error(() => AddOnWorkbook.Read(new MemoryStream(book), "AOC.xlsx")));
    }

    [Fact]
    public void RejectsAWorkbookMissingAColumn()
    {
        var book = Workbook(["Add-On Code", "Primary Code", "AOC Edit Type"], ["64494", "64493", "1"]);
        Assert.StartsWith("AOC.xlsx, line 1: the header row has no 'AOC deletion date', 'primary code deletion date', 'AOC edit effective date', 'AOC edit deletion date' column",
            Error(() => AddOnWorkbook.Read(new MemoryStream(book), "AOC.xlsx")));
    }

    [Fact]
    public void ReadsMueWithTheMultiLineNoticeAndMaiAsText()
    {
        var rows = MueCsvFile.Read(new MemoryStream(MueCsv("Practitioner Services MUE Values", TestRules.PractitionerMue)), "mue.csv", MueTable.Practitioner);
        Assert.Equal(TestRules.PractitionerMue.Select(CmsRows.Mue), rows);
        Assert.Equal(new MueRow(HcpcsCode.Parse("0001U"), 1, MueAdjudication.DateOfServicePolicy, "Code Descriptor / CPT Instruction"), rows[0]);
        Assert.Contains(rows, r => r.Value == 0);
    }

    [Fact]
    public void ReadsAnMueFileWhoseNoticeIsASingleCellAndWhoseRowsAreUnquoted()
    {
        var text = "\"CPT codes, descriptions and other data only are copyright 2025 American Medical Association.\nAll Rights Reserved.\"\r\n" +
                   "\"HCPCS/\nCPT Code\",\"DME Supplier Services MUE Values\",\"MUE Adjudication Indicator\",\"MUE Rationale\"\r\n" +
                   "E0100,1,1 Line Edit,Nature of Equipment\r\nK0001,0,\"2 Date of Service Edit: Policy\",\"CMS Policy\"\r\n";
        var rows = MueCsvFile.Read(new MemoryStream(Encoding.Latin1.GetBytes(text)), "MCR_MUE_DMESupplierServices_Eff_07-01-2026.csv", MueTable.Dme);
        Assert.Equal([new MueRow(HcpcsCode.Parse("E0100"), 1, MueAdjudication.Line, "Nature of Equipment"),
                      new MueRow(HcpcsCode.Parse("K0001"), 0, MueAdjudication.DateOfServicePolicy, "CMS Policy")], rows);
    }

    [Fact]
    public void RejectsAnMueFileWhoseHeaderNamesAnotherTable()
        => Assert.Equal("MCR_MUE_PractitionerServices_Eff_07-01-2026.csv, line 4: the header names 'DME Supplier Services MUE Values', but the file name says the mue-practitioner table ('Practitioner Services MUE Values') (the file is rejected)",
            Error(() => MueCsvFile.Read(new MemoryStream(MueCsv("DME Supplier Services MUE Values", [])), "MCR_MUE_PractitionerServices_Eff_07-01-2026.csv", MueTable.Practitioner)));

    [Theory]
    [InlineData("0001U,1,\"4 Date of Service Edit: Policy\",\"x\"", "mue.csv, line 7: column 3 (MUE adjudication indicator): '4 Date of Service Ed…' is not '1 Line Edit', '2 Date of Service Edit: Policy' or '3 Date of Service Edit: Clinical' (the file is rejected)")]
    [InlineData("0001U,-1,\"1 Line Edit\",\"x\"", "mue.csv, line 7: column 2 (MUE value): '-1' is not a whole number from 0 to 99999 (the file is rejected)")]
    [InlineData("0001,1,\"1 Line Edit\",\"x\"", "mue.csv, line 7: column 1 (HCPCS/CPT code): '0001' is 4 characters; a CPT/HCPCS code has exactly 5 (the file is rejected)")]
    [InlineData("0001U,1,\"1 Line Edit\"", "mue.csv, line 7: expected 4 comma-separated columns, found 3 (the file is rejected)")]
    [InlineData("11042,1,\"1 Line Edit\",\"x\"", "mue.csv, line 7: code 11042 appears twice (first on line 6) (the file is rejected)")]
    public void RejectsABadMueRowWithItsPhysicalLine(string row, string message)
        => Assert.Equal(message, Error(() => MueCsvFile.Read(new MemoryStream(MueCsv("Practitioner Services MUE Values", ["11042,1,\"2 Date of Service Edit: Policy\",\"Anatomic Consideration\"", row])), "mue.csv", MueTable.Practitioner)));

    [Fact]
    public void ImportsTheTestReleaseFromCmsZipsToTheSameRuleSetAsItsRows()
    {
        var result = CmsImport.Import(TestRelease());
        Assert.Equal("v322r0", result.Release.Id);
        Assert.Equal(new DateOnly(2026, 7, 1), result.Release.EffectiveFrom);
        Assert.Equal(11, result.Tables.Single(t => t.Table == "ptp-practitioner").Rows);
        Assert.Equal(2, result.Tables.Single(t => t.Table == "ptp-practitioner").Files);
        Assert.Contains("ccipra-v322r0-f1.zip/ccipra-v322r0-f1.xlsx", result.Ignored);
        Assert.Contains("AOC_V2026Q3_01-MCR.zip/AOC_V2026Q3_01-MCR.txt", result.Ignored);
        RuleSetAssert.Equal(RuleSet.Build(TestRules.Builder()), RuleSet.Build(result.Release));
    }

    [Fact]
    public void RefusesAPtpTableWithAMissingPart()
    {
        var files = TestRelease();
        files.RemoveAt(0);
        Assert.Equal("ccipra-v322r0-f2.zip/ccipra-v322r0-f2.TXT: the ptp-practitioner table is missing part(s) f1 (the file is rejected)", Error(() => CmsImport.Import(files)));
    }

    [Fact]
    public void RefusesFilesOfTwoReleases()
    {
        var files = TestRelease();
        files.Add(Input("ccioph-v323r0-f1.zip", Zip(("ccioph-v323r0-f1.TXT", PtpText(TestRules.HospitalPtp)))));
        Assert.Equal("(input): PTP files of several releases were given (v322r0, v323r0); import one release at a time (the file is rejected)", Error(() => CmsImport.Import(files)));
    }

    [Fact]
    public void ABadRowAnywhereRejectsTheWholeImport()
    {
        var files = TestRelease();
        files[2] = Input("ccioph-v322r0-f1.zip", Zip(("ccioph-v322r0-f1.TXT", PtpText([.. TestRules.HospitalPtp, "62323\t77003\t\t2017011\t*\t1\tX"]))));
        Assert.Equal("ccioph-v322r0-f1.zip/ccioph-v322r0-f1.TXT, line 9: column 4 (effective date): '2017011' is not a date YYYYMMDD (the file is rejected)", Error(() => CmsImport.Import(files)));
    }

    [Fact]
    public void AManifestPinsTheReleaseAndEachFilesHash()
    {
        var files = TestRelease();
        var entries = files.Select(f => new ReleaseManifest.File(f.Name, null, f.Name.StartsWith("ccioph") ? new string('0', 64) : null)).ToList();
        using var m = new MemoryStream();
        new ReleaseManifest("v322r1", new DateOnly(2026, 7, 1), entries).Write(m);
        files.Add(Input("release.json", m.ToArray()));
        var e = Error(() => CmsImport.Import(files));
        Assert.StartsWith("ccioph-v322r0-f1.zip: SHA-256 is ", e);
        Assert.EndsWith($", but release.json says {new string('0', 64)} (the file is rejected)", e);
    }

    [Fact]
    public void AManifestRefusesAMissingListedFile()
    {
        var files = TestRelease();
        using var m = new MemoryStream();
        new ReleaseManifest("v322r0", new DateOnly(2026, 7, 1), [.. files.Select(f => new ReleaseManifest.File(f.Name)), new ReleaseManifest.File("ccipra-v322r0-f3.zip")]).Write(m);
        files.Add(Input("release.json", m.ToArray()));
        Assert.Equal("release.json: lists 'ccipra-v322r0-f3.zip', which was not given (the file is rejected)", Error(() => CmsImport.Import(files)));
    }
}
