using System.IO.Compression;
using CodePairs.Rules.Cms;
using static CodePairs.Rules.Tests.Cms.CmsFixtures;

namespace CodePairs.Rules.Tests.Cms;

public class ZipGuardTests
{
    [Fact]
    public void RefusesAnArchiveWithTooManyEntries()
    {
        var zip = Zip([.. Enumerable.Range(0, 70).Select(i => ($"junk{i}.txt", new byte[] { 1 }))]);
        Assert.Equal("ccipra-v322r0-f1.zip: the archive holds 70 entries; at most 64 are accepted (the file is rejected)",
            Error(() => CmsImport.Import([Input("ccipra-v322r0-f1.zip", zip)])));
    }

    [Fact]
    public void RefusesAHighlyCompressedEntry()
    {
        var zip = Zip(("ccipra-v322r0-f1.TXT", new byte[8 << 20])); // 8 MiB of zeros deflates ~1000:1
        Assert.Matches(@"^ccipra-v322r0-f1\.zip: entry 'ccipra-v322r0-f1\.TXT' has a compression ratio of [\d,]+:1; at most 100:1 is accepted \(zip bomb\?\) \(the file is rejected\)$",
            Error(() => CmsImport.Import([Input("ccipra-v322r0-f1.zip", zip)])));
    }

    [Fact]
    public void RefusesAnEntryLargerThanTheCap()
    {
        var zip = Zip(("ccipra-v322r0-f1.TXT", PtpText(TestRules.PractitionerPtp)));
        Assert.Matches(@"^ccipra-v322r0-f1\.zip: entry 'ccipra-v322r0-f1\.TXT' inflates to [\d,]+ bytes; at most 100 are accepted",
            Error(() => CmsImport.Import([Input("ccipra-v322r0-f1.zip", zip)], new ImportOptions { Limits = new ZipLimits { MaxEntryBytes = 100 } })));
    }

    [Fact]
    public void RefusesAnArchiveLargerThanTheTotalCap()
    {
        var zip = Zip(("ccipra-v322r0-f1.TXT", PtpText(TestRules.PractitionerPtp)), ("ccipra-v322r0-f1.xlsx", new byte[2000]));
        Assert.Equal("ccipra-v322r0-f1.zip: the archive inflates to more than 1,000 bytes (the file is rejected)",
            Error(() => CmsImport.Import([Input("ccipra-v322r0-f1.zip", zip)], new ImportOptions { Limits = new ZipLimits { MaxTotalBytes = 1000 } })));
    }

    [Fact]
    public void RefusesSomethingThatIsNotAZip()
        => Assert.StartsWith("ccipra-v322r0-f1.zip: not a readable zip archive",
            Error(() => CmsImport.Import([Input("ccipra-v322r0-f1.zip", "not a zip"u8.ToArray())])));

    [Fact]
    public void AnEntryThatInflatesPastItsDeclaredSizeIsStopped()
    {
        // Forge the sizes of a stored entry: the local and central headers claim fewer bytes than the data holds.
        var text = PtpText(TestRules.PractitionerPtp);
        using var m = new MemoryStream();
        using (var zip = new ZipArchive(m, ZipArchiveMode.Create, leaveOpen: true))
        using (var s = zip.CreateEntry("ccipra-v322r0-f1.TXT", CompressionLevel.NoCompression).Open()) s.Write(text);
        var bytes = m.ToArray();
        var forged = Forge(bytes, (uint)text.Length, 300);
        var e = Record.Exception(() => CmsImport.Import([Input("ccipra-v322r0-f1.zip", forged)], new ImportOptions { PtpParts = 1 }));
        Assert.NotNull(e); // either the zip library or our cap refuses it; it must never read past the declared size silently
        Assert.True(e is CmsFileException or InvalidDataException, e.GetType().Name + ": " + e.Message);
    }

    [Fact]
    public void AnEntryWhoseDeclaredSizeIsForgedSmallerIsRefusedNotCutShort()
    {
        // The issue's case: a deflated entry whose headers say 1,000 bytes for many more. Reading it must fail, never
        // import the first rows silently.
        var text = PtpText(Enumerable.Repeat(TestRules.PractitionerPtp, 400).SelectMany(r => r));
        using var m = new MemoryStream();
        using (var zip = new ZipArchive(m, ZipArchiveMode.Create, leaveOpen: true))
        using (var s = zip.CreateEntry("ccipra-v322r0-f1.TXT", CompressionLevel.Optimal).Open()) s.Write(text);
        var forged = Forge(m.ToArray(), (uint)text.Length, 1000);
        var e = Assert.Throws<CmsFileException>(() => CmsImport.Import([Input("ccipra-v322r0-f1.zip", forged)], new ImportOptions { PtpParts = 1 }));
        Assert.Contains("forged or corrupt archive", e.Message);
    }

    [Fact]
    public void CorruptDeflateDataIsAFileErrorNotACrash()
    {
        var text = PtpText(Enumerable.Repeat(TestRules.PractitionerPtp, 50).SelectMany(r => r));
        var zip = Zip(("ccipra-v322r0-f1.TXT", text));
        var data = zip.AsSpan().IndexOf("ccipra-v322r0-f1.TXT"u8) + 20 + 40; // into the compressed data after the local header
        for (var i = data; i < data + 64; i++) zip[i] ^= 0x5A;
        var e = Assert.Throws<CmsFileException>(() => CmsImport.Import([Input("ccipra-v322r0-f1.zip", zip)], new ImportOptions { PtpParts = 1 }));
        Assert.Contains("ccipra-v322r0-f1", e.Message);
    }

    private static byte[] Forge(byte[] zip, uint real, uint claimed)
    {
        var copy = (byte[])zip.Clone();
        var realBytes = BitConverter.GetBytes(real);
        var fake = BitConverter.GetBytes(claimed);
        for (var i = 0; i + 4 <= copy.Length; i++)
            if (copy.AsSpan(i, 4).SequenceEqual(realBytes)) fake.CopyTo(copy, i);
        return copy;
    }
}

public class WorkbookGuardTests
{
    [Fact]
    public void AnAocWorkbookIsHeldToTheSameCapsAsTheZipItCameIn()
    {
        // An .xlsx is a zip too: 70 parts inside a workbook inside the CMS zip.
        var bomb = CmsFixtures.Zip([.. Enumerable.Range(0, 70).Select(i => ($"xl/junk{i}.xml", new byte[] { 1 }))]);
        var zip = CmsFixtures.Zip(("AOC_V2026Q3-MCR.xlsx", bomb));
        Assert.Equal("add-code-edits-medicare-effective-07012026.zip/AOC_V2026Q3-MCR.xlsx: the archive holds 70 entries; at most 64 are accepted (the file is rejected)",
            CmsFixtures.Error(() => CmsImport.Import([CmsFixtures.Input("add-code-edits-medicare-effective-07012026.zip", zip)])));
    }
}
