using System.IO.Compression;
using System.Text;
using CodePairs.Rules.Cms;

namespace CodePairs.Rules.Tests.Cms;

/// <summary>Builds CMS files in their published layout (latin-1, CRLF, preamble, zips) in memory.</summary>
internal static class CmsFixtures
{
    /// <summary>A PTP .TXT: the 6-line preamble then the given tab-separated rows, CRLF, latin-1.</summary>
    public static byte[] PtpText(IEnumerable<string> rows, IEnumerable<string>? preamble = null)
        => Encoding.Latin1.GetBytes(string.Concat((preamble ?? PtpTextFile.Preamble).Concat(rows).Select(l => l + "\r\n")));

    public static byte[] Zip(params (string Name, byte[] Bytes)[] entries)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, bytes) in entries)
            {
                using var s = zip.CreateEntry(name).Open();
                s.Write(bytes);
            }
        return memory.ToArray();
    }

    public static byte[] AocWorkbook(IEnumerable<AddOnRow> rows)
    {
        using var m = new MemoryStream();
        AddOnWorkbook.Write(m, rows);
        return m.ToArray();
    }

    public static byte[] Workbook(params string[][] rows)
    {
        using var m = new MemoryStream();
        AddOnWorkbook.WriteText(m, rows);
        return m.ToArray();
    }

    /// <summary>An MUE .csv: the quoted multi-line notice, the header naming the table, then the rows, CRLF.</summary>
    public static byte[] MueCsv(string valueHeader, IEnumerable<string> rows)
        => Encoding.Latin1.GetBytes(
            "\"CPT codes, descriptions and other data only are copyright 2025 American Medical Association.\r\nAll Rights Reserved.\r\nApplicable FARS/HHSARS apply.\",,,\r\n" +
            $"\"HCPCS/\r\nCPT Code\",\"{valueHeader}\",\"MUE Adjudication Indicator\",\"MUE Rationale\"\r\n" +
            string.Concat(rows.Select(r => r + "\r\n")));

    public static CmsInput Input(string name, byte[] bytes) => new(name, () => new MemoryStream(bytes, writable: false));

    /// <summary>The test tables (TestRules) as CMS ships them, under CMS's download names: practitioner PTP over four
    /// parts, hospital PTP over four (two of them empty), the AOC zip with its fixed-width copy, the practitioner MUE zip.</summary>
    public static List<CmsInput> TestRelease()
    {
        var pra = TestRules.PractitionerPtp;
        var oph = TestRules.HospitalPtp;
        string[][] praParts = [pra[..3], pra[3..6], pra[6..9], pra[9..]];
        string[][] ophParts = [oph[..1], oph[1..], [], []];
        var files = new List<CmsInput>();
        for (var p = 1; p <= 4; p++)
            files.Add(Input(CmsNames.PtpZip(TableId.PtpPractitioner, "v322r0", p), Zip(
                (CmsNames.PtpText(TableId.PtpPractitioner, "v322r0", p), PtpText(praParts[p - 1])),
                (CmsNames.PtpWorkbook(TableId.PtpPractitioner, "v322r0", p), Workbook(["ignored"])))));
        for (var p = 1; p <= 4; p++)
            files.Add(Input(CmsNames.PtpZip(TableId.PtpHospital, "v322r0", p), Zip(
                (p == 3 ? "ccioph-v322r0-f3.txt" : CmsNames.PtpText(TableId.PtpHospital, "v322r0", p), PtpText(ophParts[p - 1])))));
        files.Add(Input("add-code-edits-medicare-effective-07012026.zip", Zip(
            ("AOC_V2026Q3-MCR.xlsx", AocWorkbook(TestRules.AddOns.Select(CmsRows.AddOn))),
            ("AOC_V2026Q3-F-MCR.txt", Encoding.Latin1.GetBytes("fixed-width text the reader does not need\r\n")))));
        files.Add(Input("medicare-ncci-2026-q3-practitioner-services-mue-table.zip", Zip(
            ("MCR_MUE_PractitionerServices_Eff_07-01-2026.csv", MueCsv("Practitioner Services MUE Values", TestRules.PractitionerMue)))));
        return files;
    }

    public static string Error(Action action) => Assert.Throws<CmsFileException>(action).Message;

    /// <summary>Reads the test drop, as every door does.</summary>
    public static CmsImportResult ImportTestRelease() => CmsImport.Import(TestRelease());
}

/// <summary>Compares two rule sets version by version, array by array.</summary>
internal static class RuleSetAssert
{
    public static void Equal(RuleSet expected, RuleSet actual)
    {
        Assert.Equal(expected.Codes.PackedCodes.ToArray(), actual.Codes.PackedCodes.ToArray());
        Assert.Equal(expected.Versions.Select(v => (v.Table, v.Version, v.EffectiveFrom, v.Rows)), actual.Versions.Select(v => (v.Table, v.Version, v.EffectiveFrom, v.Rows)));
        for (var i = 0; i < expected.Versions.Count; i++)
        {
            var (e, a) = (expected.Versions[i].Index, actual.Versions[i].Index);
            Assert.Equal(expected.Versions[i].ContentHash, actual.Versions[i].ContentHash);
            switch (e)
            {
                case PtpIndex p:
                    var q = Assert.IsType<PtpIndex>(a);
                    Assert.Equal(p.Offsets, q.Offsets);
                    Assert.Equal(p.Column2, q.Column2);
                    Assert.Equal(p.Effective, q.Effective);
                    Assert.Equal(p.Deletion, q.Deletion);
                    Assert.Equal(p.Meta, q.Meta);
                    Assert.Equal(p.Rationales, q.Rationales);
                    break;
                case AddOnIndex x:
                    var y = Assert.IsType<AddOnIndex>(a);
                    Assert.Equal(x.Offsets, y.Offsets);
                    Assert.Equal(x.Primary, y.Primary);
                    Assert.Equal(x.Type, y.Type);
                    Assert.Equal(x.AddOnDeletion, y.AddOnDeletion);
                    Assert.Equal(x.PrimaryDeletion, y.PrimaryDeletion);
                    Assert.Equal(x.EditEffective, y.EditEffective);
                    Assert.Equal(x.EditDeletion, y.EditDeletion);
                    Assert.Equal(x.Notes, y.Notes);
                    break;
                case MueIndex m:
                    var n = Assert.IsType<MueIndex>(a);
                    Assert.Equal(m.Value, n.Value);
                    Assert.Equal(m.Adjudication, n.Adjudication);
                    Assert.Equal(m.RowCount, n.RowCount);
                    for (var id = 0; id < m.Value.Length; id++)
                        if (m.Value[id] >= 0) Assert.Equal(m.Rationales[m.Rationale[id]], n.Rationales[n.Rationale[id]]);
                    break;
            }
        }
    }
}
