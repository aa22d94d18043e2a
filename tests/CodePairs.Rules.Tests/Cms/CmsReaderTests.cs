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

    private static (PtpRows Rows, int Count) ReadPtp(byte[] text, string name = "ccipra-v322r0-f1.TXT")
    {
        var sink = new RuleSetBuilder().Ptp(TableId.PtpPractitioner, "v322r0", new DateOnly(2026, 7, 1));
        var count = PtpTextFile.Read(new MemoryStream(text), name, sink);
        return (sink, count);
    }

    [Fact]
    public void ReadsTheRealPtpRowsQuotedInNcciMd()
    {
        var (rows, count) = ReadPtp(PtpText(RealRows));
        Assert.Equal(5, count);
        var expected = new RuleSetBuilder().AddPtp(TableId.PtpPractitioner, "v322r0", new DateOnly(2026, 7, 1), RealRows.Select(CmsRows.Ptp))
            .Ptp(TableId.PtpPractitioner, "v322r0", new DateOnly(2026, 7, 1));
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
    [InlineData("13121\t13120\t\t20200101\t*\t0\t", "ccipra-v322r0-f1.TXT, line 7: column 7 (PTP edit rationale) is empty (the file is rejected)")]
    public void RejectsABadPtpRowNamingFileLineAndReason(string row, string message)
        => Assert.Equal(message, Error(() => ReadPtp(PtpText([row]))));

    [Fact]
    public void KeepsARowWhoseDeletionPrecedesItsEffectiveDateAsNeverInForce()
    {
        var (rows, count) = ReadPtp(PtpText(["13121\t13120\t\t20200101\t20191231\t0\tX", .. RealRows]));
        Assert.Equal(6, count);
        string[] all = ["13121\t13120\t\t20200101\t20191231\t0\tX", .. RealRows];
        var rules = new RuleSetBuilder().AddPtp(TableId.PtpPractitioner, "v322r0", new DateOnly(2026, 7, 1), all.Select(CmsRows.Ptp)).Build();
        var version = Assert.Single(rules.Versions);
        Assert.Equal(1, version.RowsNeverInForce);
        Assert.Equal(6, version.Rows);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(4)]
    public void RejectsAPreambleShorterThanSixLinesInsteadOfLosingTheFirstRow(int lines)
    {
        var text = CmsFixtures.PtpText(RealRows, PtpTextFile.Preamble.Take(lines));
        var e = Error(() => ReadPtp(text));
        Assert.Contains($"line {lines + 1}: expected header line {lines + 1} of 6", e);
        Assert.Contains($"the preamble has {lines} lines where CMS ships 6", e);
    }

    [Fact]
    public void ReadsTheGenuinePreambleOfTheCmsFile()
    {
        string[] genuine =
        [
            "CPT only copyright 2025 American Medical Association.  All rights reserved.\t\t\t\t\t\t",
            "Column1/Column2 Edits\t\t\t\t\t\t",
            "Column 1\tColumn 2\t*=in existence\tEffective\tDeletion\tModifier\tPTP Edit Rationale",
            "\t\tprior to 1996\tDate\tDate\t0=not allowed\t",
            "\t\t\t\t*=no data\t1=allowed\t",
            "\t\t\t\t\t9=not applicable\t",
        ];
        Assert.Equal(5, ReadPtp(CmsFixtures.PtpText(RealRows, genuine)).Count);
    }

    [Fact]
    public void RejectsAPtpFileWithMoreRationalesThanATableHolds()
    {
        var rows = Enumerable.Range(0, PtpMeta.MaxRationales + 1).Select(i => $"13121\t13120\t\t19960101\t*\t0\tRationale {i}");
        Assert.Contains("more than 32 distinct rationales", Error(() => ReadPtp(PtpText(rows))));
    }

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
        Assert.Equal("ccipra-v322r0-f1.TXT, line 1: expected the AMA copyright line, found '0001A→0591T→→20220101→20231231→1→CPT Man…': this is not a CMS PTP .TXT file, or its 6-line preamble is missing (the file is rejected)",
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
    [InlineData("1", "CCCCC", "64494", "2010001", "AOC.xlsx, line 3: type 1 add-on 64494 has the placeholder CCCCC; type 1 rows list a primary code (the file is rejected)")]
    [InlineData("1", "64493", "64494", "2010366", "AOC.xlsx, line 3: AOC edit effective date: '2010366' is not a Julian date YYYYDDD (the file is rejected)")]
    public void RejectsABadAddOnRow(string type, string primary, string addOn, string effective, string message)
    {
        var book = Workbook(AddOnWorkbook.Headers, ["64494", "", "64493", "", "1", "2010001", "", ""], [addOn, "", primary, "", type, effective, "", ""]);
        Assert.Equal(message, Error(() => AddOnWorkbook.Read(new MemoryStream(book), "AOC.xlsx")));
    }

    [Fact]
    public void ReadsTheCcccPlaceholderOnAType3RowAsNoListedPrimary()
    {
        var book = Workbook(AddOnWorkbook.Headers, ["22552", "", "CCCCC", "", "3", "2017001", "", ""], ["22552", "", "22551", "", "3", "2017001", "2017001", ""]);
        var rows = AddOnWorkbook.Read(new MemoryStream(book), "AOC.xlsx");
        Assert.True(rows[0].Primary.IsEmpty);
        Assert.Equal(AddOnType.Type3, rows[0].Type);
        Assert.Equal(rows[1].EditEffective, rows[1].EditDeletion); // a one-day window is data, not an error
    }

    [Fact]
    public void AWorkbookWithACellReferencePastTheLastColumnIsRejectedNotExhausted()
    {
        var book = Workbook(AddOnWorkbook.Headers, ["22552", "", "22551", "", "3", "2017001", "", ""]);
        var patched = PatchSheet(book, "H2\"", "ZZZZZZ2\"");
        Assert.Contains("past Excel's last column", Error(() => AddOnWorkbook.Read(new MemoryStream(patched), "AOC.xlsx")));
    }

    [Fact]
    public void AMalformedWorkbookIsAFileErrorNotACrash()
    {
        var book = Workbook(AddOnWorkbook.Headers, ["22552", "", "22551", "", "3", "2017001", "", ""]);
        var patched = PatchSheet(book, null, "<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData><row r=");
        Assert.Contains("not a readable .xlsx workbook", Error(() => AddOnWorkbook.Read(new MemoryStream(patched), "AOC.xlsx")));
    }

    /// <summary>The workbook with one string replaced in its worksheet XML (all of it when <paramref name="from"/> is null).</summary>
    private static byte[] PatchSheet(byte[] book, string? from, string to)
    {
        using var output = new MemoryStream();
        using (var source = new System.IO.Compression.ZipArchive(new MemoryStream(book)))
        using (var target = new System.IO.Compression.ZipArchive(output, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
            foreach (var entry in source.Entries)
            {
                using var read = new StreamReader(entry.Open());
                var text = read.ReadToEnd();
                if (entry.FullName.Contains("worksheets/", StringComparison.Ordinal)) text = from is null ? to : text.Replace(from, to, StringComparison.Ordinal);
                using var write = new StreamWriter(target.CreateEntry(entry.FullName).Open());
                write.Write(text);
            }
        return output.ToArray();
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
        var rows = MueCsvFile.Read(new MemoryStream(MueCsv("Practitioner Services MUE Values", TestRules.PractitionerMue)), "mue.csv", TableId.MuePractitioner);
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
        var rows = MueCsvFile.Read(new MemoryStream(Encoding.Latin1.GetBytes(text)), "MCR_MUE_DMESupplierServices_Eff_07-01-2026.csv", TableId.MueDme);
        Assert.Equal([new MueRow(HcpcsCode.Parse("E0100"), 1, MueAdjudication.Line, "Nature of Equipment"),
                      new MueRow(HcpcsCode.Parse("K0001"), 0, MueAdjudication.DateOfServicePolicy, "CMS Policy")], rows);
    }

    [Fact]
    public void RejectsAnMueFileWhoseHeaderNamesAnotherTable()
        => Assert.Equal("MCR_MUE_PractitionerServices_Eff_07-01-2026.csv, line 4: the header names 'DME Supplier Services MUE Values', but the file name says the mue-practitioner table ('Practitioner Services MUE Values') (the file is rejected)",
            Error(() => MueCsvFile.Read(new MemoryStream(MueCsv("DME Supplier Services MUE Values", [])), "MCR_MUE_PractitionerServices_Eff_07-01-2026.csv", TableId.MuePractitioner)));

    [Theory]
    [InlineData("0001U,1,\"4 Date of Service Edit: Policy\",\"x\"", "mue.csv, line 7: column 3 (MUE adjudication indicator): '4 Date of Service Ed…' is not '1 Line Edit', '2 Date of Service Edit: Policy' or '3 Date of Service Edit: Clinical' (the file is rejected)")]
    [InlineData("0001U,-1,\"1 Line Edit\",\"x\"", "mue.csv, line 7: column 2 (MUE value): '-1' is not a whole number from 0 to 99999 (the file is rejected)")]
    [InlineData("0001,1,\"1 Line Edit\",\"x\"", "mue.csv, line 7: column 1 (HCPCS/CPT code): '0001' is 4 characters; a CPT/HCPCS code has exactly 5 (the file is rejected)")]
    [InlineData("0001U,1,\"1 Line Edit\"", "mue.csv, line 7: expected 4 comma-separated columns, found 3 (the file is rejected)")]
    [InlineData("11042,1,\"1 Line Edit\",\"x\"", "mue.csv, line 7: code 11042 appears twice (first on line 6) (the file is rejected)")]
    public void RejectsABadMueRowWithItsPhysicalLine(string row, string message)
        => Assert.Equal(message, Error(() => MueCsvFile.Read(new MemoryStream(MueCsv("Practitioner Services MUE Values", ["11042,1,\"2 Date of Service Edit: Policy\",\"Anatomic Consideration\"", row])), "mue.csv", TableId.MuePractitioner)));

    [Fact]
    public void AnMueFileWithAnUnbalancedQuoteIsAFileErrorWithItsLine()
    {
        var text = MueCsv("Practitioner Services MUE Values", ["0001U,1,\"2 Date of Service Edit: Policy,x"]);
        Assert.Contains("mue.csv, line 6: not readable as CSV", Error(() => MueCsvFile.Read(new MemoryStream(text), "mue.csv", TableId.MuePractitioner)));
    }

    [Fact]
    public void ImportsTheTestReleaseFromCmsZipsToTheSameRuleSetAsItsRows()
    {
        var result = ImportTestRelease();
        var practitioner = result.Report.Tables.Single(t => t.Table == TableId.PtpPractitioner);
        Assert.Equal(("v322r0", new DateOnly(2026, 7, 1), 11, 4), (practitioner.Version, practitioner.EffectiveFrom, practitioner.Rows, practitioner.Files));
        Assert.Equal(("AOC_V2026Q3", new DateOnly(2026, 7, 1)), result.Report.Tables.Where(t => t.Table == TableId.AddOn).Select(t => (t.Version, t.EffectiveFrom)).Single());
        Assert.Equal(FileOutcome.NotLoaded, Outcome(result.Report, "ccipra-v322r0-f1.xlsx").Outcome);
        Assert.Equal(FileOutcome.NotLoaded, Outcome(result.Report, "AOC_V2026Q3-F-MCR.txt").Outcome);
        Assert.Equal(FileOutcome.Loaded, Outcome(result.Report, "ccioph-v322r0-f3.txt").Outcome); // lower-case .txt, as CMS ships f3/f4 sometimes
        RuleSetAssert.Equal(TestRules.Builder().Build(), result.Build());
    }

    private static ImportedFile Outcome(ImportReport report, string endsWith) => Assert.Single(report.Files, f => f.File.EndsWith(endsWith, StringComparison.Ordinal));

    [Fact]
    public void RefusesAPtpTableWithAMissingPart()
    {
        var files = TestRelease();
        files.RemoveAt(3);
        var e = Assert.Throws<CmsFileException>(() => CmsImport.Import(files));
        Assert.Equal($"{CmsNames.PtpZip(TableId.PtpPractitioner, "v322r0", 1)}/ccipra-v322r0-f1.TXT: ptp-practitioner v322r0 is missing part(s) f4: CMS ships each PTP table as f1–f4, and a missing part would leave its edits unchecked (the file is rejected)", e.Message);
        Assert.Contains(e.Report!.Files, f => f.Outcome == FileOutcome.Failed);
    }

    [Fact]
    public void TwoVersionsOfOneTableInADropLoadAsTwoVersions()
    {
        var files = TestRelease();
        for (var p = 1; p <= 4; p++)
            files.Add(Input(CmsNames.PtpZip(TableId.PtpHospital, "v323r0", p), Zip((CmsNames.PtpText(TableId.PtpHospital, "v323r0", p), PtpText(p == 1 ? TestRules.HospitalPtp : [])))));
        var rules = CmsImport.Import(files).Build();
        Assert.Equal(["v322r0", "v323r0"], rules.VersionsOf(TableId.PtpHospital).Select(v => v.Version));
        Assert.Equal("v323r0", rules.VersionFor(TableId.PtpHospital, new DateOnly(2026, 10, 1))!.Version);
        Assert.Equal("v322r0", rules.VersionFor(TableId.PtpHospital, new DateOnly(2026, 9, 30))!.Version);
    }

    [Fact]
    public void ABadRowAnywhereRejectsTheWholeImport()
    {
        var files = TestRelease();
        var zip = CmsNames.PtpZip(TableId.PtpHospital, "v322r0", 1);
        files[4] = Input(zip, Zip(("ccioph-v322r0-f1.TXT", PtpText([.. TestRules.HospitalPtp[..1], "62323\t77003\t\t2017011\t*\t1\tX"]))));
        Assert.Equal($"{zip}/ccioph-v322r0-f1.TXT, line 8: column 4 (effective date): '2017011' is not a date YYYYMMDD (the file is rejected)", Error(() => CmsImport.Import(files)));
    }

    [Fact]
    public void ADropWithNothingRecognisedIsAnErrorNeverAnEmptyRuleSet()
    {
        var e = Assert.Throws<CmsFileException>(() => CmsImport.Import([Input("notes.txt", Encoding.UTF8.GetBytes("hello")), Input("readme.pdf", "%PDF-1.4"u8.ToArray())]));
        Assert.StartsWith("(drop): no CMS PTP, AOC or MUE table was found in 2 file(s)", e.Message);
        Assert.All(e.Report!.Files, f => Assert.Equal(FileOutcome.Ignored, f.Outcome));
    }

    [Fact]
    public void ADropNamingMoreCodesThanARuleSetHoldsIsRefusedWithTheReasonNotACrash()
    {
        // Issue 11: 89,833 codes crashed the build (CodeIndex's InvalidOperationException, exit 1).
        var rows = Enumerable.Range(10_000, 70_000).Select(c => $"{c},1,\"2 Date of Service Edit: Policy\",\"Anatomic Consideration\"");
        var name = CmsNames.MueCsv(TableId.MuePractitioner, new DateOnly(2026, 10, 1));
        var e = Assert.Throws<CmsFileException>(() => CmsImport.Import([Input(name, MueCsv("Practitioner Services MUE Values", rows))]));
        Assert.Equal($"(drop): its tables name 70,000 distinct codes; a rule set holds at most {CodeIndex.MaxCodes:N0} (a CMS release names far fewer), so nothing was loaded (the file is rejected)", e.Message);
        Assert.Contains(e.Report!.Files, f => f.File == "(drop)" && f.Outcome == FileOutcome.Failed);
    }

    [Fact]
    public void AManifestPinsEachFilesHash()
    {
        var files = TestRelease();
        var hospital = CmsNames.PtpZip(TableId.PtpHospital, "v322r0", 1);
        var entries = files.Select(f => new ReleaseManifest.File(f.Name, null, f.Name == hospital ? new string('0', 64) : null)).ToList();
        using var m = new MemoryStream();
        new ReleaseManifest("v322r0", new DateOnly(2026, 7, 1), entries).Write(m);
        files.Add(Input("release.json", m.ToArray()));
        var e = Error(() => CmsImport.Import(files));
        Assert.StartsWith($"{hospital}: SHA-256 is ", e);
        Assert.EndsWith($", but release.json says {new string('0', 64)} (the file is rejected)", e);
    }

    [Fact]
    public void AManifestRefusesAMissingListedFile()
    {
        var files = TestRelease();
        using var m = new MemoryStream();
        new ReleaseManifest("v322r0", new DateOnly(2026, 7, 1), [.. files.Select(f => new ReleaseManifest.File(f.Name)), new ReleaseManifest.File("ccipra-v322r0-f5.zip")]).Write(m);
        files.Add(Input("release.json", m.ToArray()));
        Assert.Equal("release.json: lists 'ccipra-v322r0-f5.zip', which was not given (the file is rejected)", Error(() => CmsImport.Import(files)));
    }

    [Theory]
    [InlineData("{\"release\":\"../../evil\",\"effectiveFrom\":\"2026-07-01\",\"files\":[{\"name\":\"a.zip\"}]}", "the manifest's release must be 1-64 letters, digits or hyphens")]
    [InlineData("{\"release\":\"v322r0\",\"effectiveFrom\":\"2026-07-01\",\"files\":[null]}", "files[0] names no file")]
    [InlineData("{\"release\":\"v322r0\",\"effectiveFrom\":\"2026-07-01\",\"files\":[{}]}", "files[0] names no file")]
    [InlineData("{\"release\":\"v322r0\",\"effectiveFrom\":\"2026-07-01\",\"files\":[{\"name\":\"../x.zip\"}]}", "is not a plain file name")]
    public void AMalformedManifestIsRefusedWithAReason(string json, string reason)
        => Assert.Contains(reason, Error(() => ReleaseManifest.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)), "release.json")));
}
