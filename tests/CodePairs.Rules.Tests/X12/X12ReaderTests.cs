using CodePairs.Rules.Batch;
using CodePairs.Rules.X12;

namespace CodePairs.Rules.Tests.X12;

/// <summary>Reading and checking the hand-written samples: professional.837 (837P, LF, two transaction sets, six
/// claims) and institutional.837 (837I, CRLF, three claims). Segment numbers are the samples' line numbers.</summary>
public class X12ReaderTests
{
    private static readonly DateOnly Aug3 = new(2026, 8, 3);

    /// <summary>The table versions a practitioner claim of the test rule set is judged by (its clean row's source).</summary>
    private const string PractitionerTables = "ptp-practitioner v322r0;aoc AOC_V2026Q3;mue-practitioner 2026-07-01";

    private static BatchClaim ClaimOf(List<BatchItem> items, string id) => items.OfType<BatchClaim>().Single(c => c.Claim.ClaimId == id);

    [Fact]
    public void EveryClmOfAProfessionalFileIsOneClaimWithItsCodesModifiersUnitsAndDates()
    {
        var items = X12Samples.Read(X12Samples.Text("professional.837"));
        Assert.Equal(6, items.Count(i => i is BatchClaim or BatchRejection));
        Assert.DoesNotContain(items, i => i is BatchProblem);

        var first = ClaimOf(items, "PCN-P-0001");
        Assert.Equal(Setting.Practitioner, first.Claim.Setting);
        Assert.Equal(["13121", "13120"], first.Claim.Lines.Select(l => l.Code.ToString()));
        Assert.Equal(["59"], first.Claim.Lines[1].Modifiers.Select(m => m.ToString()));
        Assert.Equal([26, 29], first.InputLines); // the SV1 segments
        Assert.Equal(21, first.X12!.ClaimSegment);
        Assert.Null(first.X12.RevenueCodes);
        Assert.All(first.Claim.Lines, l => Assert.Equal(Aug3, l.DateOfService));

        var spans = ClaimOf(items, "PCN-P-0002").Claim.Lines;
        Assert.Equal(["XU", "LT"], spans[1].Modifiers.Select(m => m.ToString()));
        Assert.Equal(["25", "59", "76", "77"], spans[3].Modifiers.Select(m => m.ToString()));
        Assert.Equal([1, 1, 2, 1], spans.Select(l => l.Units)); // 3 units over 3 days; 4 over 2
        Assert.All(spans, l => Assert.Equal(Aug3, l.DateOfService)); // a span is judged on its first day

        var minutes = ClaimOf(items, "PCN-P-0005");
        Assert.Equal(1, Assert.Single(minutes.Claim.Lines).Units); // 45 minutes (MJ) = one anesthesia service
        Assert.Equal(new DateOnly(2026, 8, 7), minutes.Claim.Lines[0].DateOfService); // the claim's DTP*472
    }

    [Theory]
    [InlineData(3, 3, 1)]
    [InlineData(4, 2, 2)]
    [InlineData(5, 2, 3)]  // 2.5: halves round up
    [InlineData(6, 4, 2)]  // 1.5
    [InlineData(5, 4, 1)]  // 1.25
    [InlineData(1, 3, 1)]  // 0.33: a billed line is at least one unit
    [InlineData(7, 1, 7)]
    public void TheDateSpanRuleDividesUnitsByDaysToTheNearestWholeNumber(int units, int days, int perDay)
        => Assert.Equal(perDay, DateSpan.UnitsPerDay(units, days));

    [Fact]
    public void CheckingTheProfessionalSampleGivesEachFindingWithItsSegmentsAndExplainsSpansAndMinutes()
    {
        var (results, rejected, summary) = X12Samples.Check(X12Samples.Text("professional.837"), includeInfo: false);
        var rows = X12Samples.Rows(results);
        Assert.StartsWith("PCN-P-0001,21,26;29,finding,deny,ptp,ptp.indicator-0,1;2,2,13121;13120,ptp-practitioner v322r0,", rows[0]);
        Assert.Equal("PCN-P-0002,42,51,finding,deny,mue,mue.dos-policy,3,3,99291,mue-practitioner 2026-07-01,\"2 units of 99291 on the date of service (line 3) exceed its MUE " +
                     "of 1 per date of service (MAI 2, policy; rationale: CMS Policy). All units of the code on that date are denied. (line 3 spans 2 days " +
                     "(RD8): checked on its first day with 2 units (4 ÷ 2 days, the MUE rule for date spans))\"", rows[1]);
        // 62323 billed 3 units over 3 days is 1 a day: within its MUE of 1, so no MUE finding names it.
        Assert.DoesNotContain(rows, r => r.StartsWith("PCN-P-0002,", StringComparison.Ordinal) && r.Contains(",62323,", StringComparison.Ordinal));
        Assert.Contains($"PCN-P-0005,85,89,clean,,,,,,,{PractitionerTables},", rows); // 45 minutes of 62323 are one service, not 45 units
        Assert.Contains($"PCN-P-0006,90,93,clean,,,,,,,{PractitionerTables},", rows);
        Assert.StartsWith("83,PCN-P-0004,80,", Assert.Single(X12Samples.Rows(rejected)));
        Assert.Equal(("claim", 6, 5, 1), (summary.Unit, summary.LinesIn, summary.LinesValidated, summary.LinesRejected));
        Assert.Equal((11, 1, 0), (summary.ServiceLines, summary.ServiceLinesNotChecked, summary.FileProblems));
        Assert.Equal(2, summary.ExitCode);
    }

    [Fact]
    public void ANonHcLineIsReportedAsNotCheckedAndTheOtherLinesKeepTheir837Numbers()
    {
        var (results, _, summary) = X12Samples.Check(X12Samples.Text("professional.837"), includeInfo: false);
        var rows = X12Samples.Rows(results).Where(r => r.StartsWith("PCN-P-0003,", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, rows.Length);
        // 11045 is the claim's second service line (the first, ER:X1234, was not checked): the finding says line 2.
        Assert.StartsWith("PCN-P-0003,56,62,finding,deny,addOn,aoc.type-1-no-primary,2,2,11045,aoc AOC_V2026Q3,\"11045 (line 2) is a type 1 add-on code", rows[0]);
        Assert.Equal("PCN-P-0003,56,59,not-checked,,,,1,,ER:X1234,,\"not checked: the procedure code is qualified ER, not HC (HCPCS/CPT): only HC codes " +
                     "are checked against NCCI edits\"", rows[1]);
        Assert.Equal(1, summary.ServiceLinesNotChecked);
    }

    [Fact]
    public void ABrokenSv1RejectsItsClaimNamingSegmentElementAndReasonAndTheRestOfTheFileGoesOn()
    {
        var (results, rejected, _) = X12Samples.Check(X12Samples.Text("professional.837"));
        Assert.Equal(
        [
            "83,PCN-P-0004,80,\"segment 83 SV1, SV101-2: '6232' is 4 characters; a CPT/HCPCS code has exactly 5; " +
            "segment 83 SV1, SV101-3: 'Z' is not a modifier: expected 2 characters from 0-9 and A-Z; the claim (CLM at segment 80) is not checked\"",
        ], X12Samples.Rows(rejected));
        Assert.Contains(X12Samples.Rows(results), r => r.StartsWith("PCN-P-0005,", StringComparison.Ordinal)); // the claims after it are checked
        Assert.DoesNotContain(X12Samples.Rows(results), r => r.StartsWith("PCN-P-0004,", StringComparison.Ordinal));
    }

    [Fact]
    public void InstitutionalClaimsUseTheHospitalTablesStatementDatesAndRevenueCodes()
    {
        var items = X12Samples.Read(X12Samples.Text("institutional.837"));
        var outpatient = ClaimOf(items, "PCN-I-0001");
        Assert.Equal(Setting.Hospital, outpatient.Claim.Setting);
        Assert.Equal(["99291", "13121", "13120"], outpatient.Claim.Lines.Select(l => l.Code.ToString()));
        Assert.Equal(Aug3, outpatient.Claim.Lines[0].DateOfService); // no line date: the statement dates (DTP*434)
        Assert.Equal([1, 3, 4], outpatient.X12!.LineNumbers);
        Assert.Equal(["0450", "0360", "0360"], outpatient.X12.RevenueCodes!); // SV2-01, kept with each judged line
        Assert.Equal(new X12NotChecked(2, 27, "revenue 0250", "not checked: revenue code 0250 without a procedure code (SV202 is empty): NCCI edits need a HCPCS/CPT code"),
            Assert.Single(outpatient.X12.NotChecked));

        var (results, rejected, summary) = X12Samples.Check(X12Samples.Text("institutional.837"), includeInfo: false);
        // The hospital table holds 13121/13120 at indicator 1 (the practitioner table at 0): bypassable, lines 3 and 4.
        Assert.StartsWith("PCN-I-0001,20,29;32,finding,bypassable,ptp,ptp.indicator-1,3;4,4,13121;13120,ptp-hospital v322r0,\"13120 (line 4) is a column-2 code of 13121 (line 3)",
            X12Samples.Rows(results)[0]);
        // 10 units over a 10-day statement are 1 a day; the test rules hold no hospital MUE table, which is said, not passed.
        Assert.Equal(1, ClaimOf(items, "PCN-I-0003").Claim.Lines[0].Units);
        var statement = Assert.Single(X12Samples.Rows(results), r => r.StartsWith("PCN-I-0003,", StringComparison.Ordinal));
        Assert.StartsWith("PCN-I-0003,42,46,finding,warning,mue,mue.not-checked,1,,97597,,\"No mue-hospital table is loaded, so the MUE unit limits of the lines of that date of service were not checked.", statement);
        Assert.EndsWith("(line 1 spans 10 days (the claim's statement dates, DTP*434): checked on its first day with 1 unit (10 ÷ 10 days, the MUE rule for date spans))\"", statement);
        Assert.Equal("34,PCN-I-0002,34,\"not checked: an inpatient claim (type of bill 11x, CLM05-1 at segment 34); NCCI's outpatient hospital edits do not apply\"",
            Assert.Single(X12Samples.Rows(rejected)));
        Assert.Equal((3, 2, 1, 7), (summary.LinesIn, summary.LinesValidated, summary.LinesRejected, summary.ServiceLines));
    }

    [Theory]
    [InlineData("professional.837")]
    [InlineData("institutional.837")]
    public void AFileWithoutLineBreaksOrWithCrlfReadsTheSameAsOneWithLf(string name)
    {
        var lf = X12Samples.Text(name).Replace("\r\n", "\n");
        var expected = X12Samples.Check(lf);
        foreach (var variant in new[] { lf.Replace("\n", ""), lf.Replace("\n", "\r\n"), lf.Replace("~\n", "~\r") })
        {
            var got = X12Samples.Check(variant);
            Assert.Equal(expected.Results, got.Results);
            Assert.Equal(expected.Rejected, got.Rejected);
            Assert.Equal(expected.Summary.ToString(), got.Summary.ToString());
        }
    }

    [Fact]
    public void DelimitersComeFromIsaSoATildeInsideAnElementIsData()
    {
        var standard = X12Samples.Text("professional.837");
        // Element '|', component '>', repetition '{', segment terminator '!': '~' is then an ordinary character.
        var other = standard.Replace('*', '|').Replace(':', '>').Replace('~', '!').Replace("|^|00501", "|{|00501")
            .Replace("NM1|IL|1|TESTPATIENT|ALPHA", "NM1|IL|1|TEST~PATIENT|ALPHA~OMEGA");
        Assert.Contains("~", other);
        var (a, b) = (X12Samples.Check(standard), X12Samples.Check(other));
        Assert.Equal(a.Results, b.Results);
        Assert.Equal(a.Rejected, b.Rejected);
        Assert.Equal(0, b.Summary.FileProblems);
        // And a terminator of LF alone: one segment per line, no '~' anywhere.
        var newline = standard.Replace("~\n", "\n");
        Assert.DoesNotContain("~", newline);
        Assert.Equal(a.Results, X12Samples.Check(newline).Results);
    }

    [Fact]
    public void EveryClaimOfSeveralInterchangesGroupsAndTransactionSetsIsRead()
    {
        var professional = X12Samples.Text("professional.837");
        var institutional = X12Samples.Text("institutional.837").Replace("\r\n", "\n");
        // Two interchanges (each with its own ISA) back to back, and one interchange holding both functional groups.
        var twoInterchanges = professional + institutional;
        var group = institutional[institutional.IndexOf("GS*", StringComparison.Ordinal)..institutional.IndexOf("IEA*", StringComparison.Ordinal)];
        var twoGroups = professional.Replace("IEA*1*190457831~", group + "IEA*2*190457831~");
        foreach (var text in new[] { twoInterchanges, twoGroups })
        {
            var (results, _, summary) = X12Samples.Check(text, includeInfo: false);
            Assert.Equal((9, 7, 2, 0), (summary.LinesIn, summary.LinesValidated, summary.LinesRejected, summary.FileProblems));
            Assert.Contains(X12Samples.Rows(results), r => r.StartsWith("PCN-I-0001,", StringComparison.Ordinal) && r.Contains(",ptp.indicator-1,", StringComparison.Ordinal));
            Assert.Contains(X12Samples.Rows(results), r => r.StartsWith("PCN-P-0001,", StringComparison.Ordinal) && r.Contains(",ptp.indicator-0,", StringComparison.Ordinal));
        }
    }
}
