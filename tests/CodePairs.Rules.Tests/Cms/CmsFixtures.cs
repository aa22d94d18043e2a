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

    /// <summary>The test release (TestRules) as CMS files: practitioner PTP split over two parts, hospital PTP, AOC, MUE.</summary>
    public static List<CmsInput> TestRelease()
    {
        var pra = TestRules.PractitionerPtp;
        return
        [
            Input("ccipra-v322r0-f1.zip", Zip(("ccipra-v322r0-f1.TXT", PtpText(pra[..6])), ("ccipra-v322r0-f1.xlsx", Workbook(["ignored"])))),
            Input("ccipra-v322r0-f2.zip", Zip(("ccipra-v322r0-f2.TXT", PtpText(pra[6..])), ("ccipra-v322r0-f2.xlsx", Workbook(["ignored"])))),
            Input("ccioph-v322r0-f1.zip", Zip(("ccioph-v322r0-f1.TXT", PtpText(TestRules.HospitalPtp)))),
            Input("AOC_V2026Q3_01-MCR.zip", Zip(("AOC_V2026Q3_01-MCR.xlsx", AocWorkbook(TestRules.AddOns.Select(CmsRows.AddOn))),
                ("AOC_V2026Q3_01-MCR.txt", Encoding.Latin1.GetBytes("fixed-width text the reader does not need\r\n")))),
            Input("MCR_MUE_PractitionerServices_Eff_07-01-2026.zip",
                Zip(("MCR_MUE_PractitionerServices_Eff_07-01-2026.csv", MueCsv("Practitioner Services MUE Values", TestRules.PractitionerMue)))),
        ];
    }

    public static string Error(Action action) => Assert.Throws<CmsFileException>(action).Message;
}

/// <summary>Compares two rule sets array by array.</summary>
internal static class RuleSetAssert
{
    public static void Equal(RuleSet expected, RuleSet actual)
    {
        Assert.Equal(expected.Codes.PackedCodes.ToArray(), actual.Codes.PackedCodes.ToArray());
        Assert.Equal(expected.Releases.Count, actual.Releases.Count);
        for (var i = 0; i < expected.Releases.Count; i++)
        {
            var (e, a) = (expected.Releases[i], actual.Releases[i]);
            Assert.Equal(e.Id, a.Id);
            Assert.Equal(e.EffectiveFrom, a.EffectiveFrom);
            Assert.Equal(e.Components.OrderBy(c => c.Table), a.Components.OrderBy(c => c.Table));
            for (var t = 0; t < 2; t++)
            {
                var (p, q) = (e.PtpTables[t], a.PtpTables[t]);
                Assert.Equal(p is null, q is null);
                if (p is null) continue;
                Assert.Equal(p.Offsets, q!.Offsets);
                Assert.Equal(p.Column2, q.Column2);
                Assert.Equal(p.Effective, q.Effective);
                Assert.Equal(p.Deletion, q.Deletion);
                Assert.Equal(p.Meta, q.Meta);
                Assert.Equal(p.Rationales, q.Rationales);
            }
            Assert.Equal(e.AddOns is null, a.AddOns is null);
            if (e.AddOns is { } x)
            {
                var y = a.AddOns!;
                Assert.Equal(x.Offsets, y.Offsets);
                Assert.Equal(x.Primary, y.Primary);
                Assert.Equal(x.Type, y.Type);
                Assert.Equal(x.AddOnDeletion, y.AddOnDeletion);
                Assert.Equal(x.PrimaryDeletion, y.PrimaryDeletion);
                Assert.Equal(x.EditEffective, y.EditEffective);
                Assert.Equal(x.EditDeletion, y.EditDeletion);
                Assert.Equal(x.Notes, y.Notes);
            }
            for (var t = 0; t < 3; t++)
            {
                var (m, n) = (e.MueTables[t], a.MueTables[t]);
                Assert.Equal(m is null, n is null);
                if (m is null) continue;
                Assert.Equal(m.Value, n!.Value);
                Assert.Equal(m.Adjudication, n.Adjudication);
                Assert.Equal(m.RowCount, n.RowCount);
                for (var id = 0; id < m.Value.Length; id++)
                    if (m.Value[id] >= 0) Assert.Equal(m.Rationales[m.Rationale[id]], n.Rationales[n.Rationale[id]]);
            }
        }
    }
}
