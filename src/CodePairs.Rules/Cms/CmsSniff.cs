using System.Text;

namespace CodePairs.Rules.Cms;

/// <summary>Recognises a CMS table by its content, for files whose names CMS did not give them: the PTP preamble, the
/// MUE header cell, the AOC header row.</summary>
public static class CmsSniff
{
    /// <summary>The kind (and for MUE the table) of the content, or null when it is none of the three.</summary>
    public static (CmsFileKind Kind, TableId? Table)? Recognise(Func<Stream> open, long maxWorkbookBytes)
    {
        var head = new byte[8192];
        int n;
        using (var s = open()) n = ReadUpTo(s, head);
        var text = Encoding.Latin1.GetString(head, 0, n);
        if (n >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4)
        {
            using var s = open();
            using var memory = SafeZip.ToMemory(s, maxWorkbookBytes, "workbook");
            return AddOnWorkbook.LooksLikeAddOnWorkbook(memory) ? (CmsFileKind.AddOn, TableId.AddOn) : null;
        }
        var lines = text.Split('\n', 3);
        if (lines.Length >= 2 && lines[1].TrimEnd('\r').StartsWith(PtpTextFile.TitleLine, StringComparison.OrdinalIgnoreCase))
            return (CmsFileKind.Ptp, null);
        if (text.Contains("HCPCS", StringComparison.OrdinalIgnoreCase))
        {
            using var s = open();
            if (MueCsvFile.Sniff(s) is { } table) return (CmsFileKind.Mue, table);
        }
        return null;
    }

    private static int ReadUpTo(Stream s, byte[] buffer)
    {
        var total = 0;
        int n;
        while (total < buffer.Length && (n = s.Read(buffer, total, buffer.Length - total)) > 0) total += n;
        return total;
    }
}
