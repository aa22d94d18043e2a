namespace CodePairs.Rules.X12;

/// <summary>Which dropped files are read as 837: <c>.837</c>, <c>.x12</c> and <c>.edi</c> always (a file that then does
/// not start with ISA fails with that reason); <c>.txt</c> when its first segment is ISA (else it stays CSV).</summary>
public static class X12Files
{
    /// <summary>How many leading bytes <see cref="StartsWithIsa"/> needs to decide.</summary>
    public const int SniffBytes = 64;

    private static readonly string[] Extensions = [".837", ".x12", ".edi"];

    public static bool HasX12Extension(string fileName) => Extensions.Any(e => fileName.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether the first bytes decide the format (<c>.txt</c> may be CSV or an 837).</summary>
    public static bool MaySniff(string fileName) => fileName.EndsWith(".txt", StringComparison.OrdinalIgnoreCase) || HasX12Extension(fileName);

    /// <summary>True when the first segment, after a UTF-8 BOM and blanks or line breaks, is ISA.</summary>
    public static bool StartsWithIsa(ReadOnlySpan<byte> head)
    {
        var i = 0;
        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) i = 3;
        while (i < head.Length && head[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') i++;
        return head.Length - i >= 4 && head.Slice(i, 3).SequenceEqual("ISA"u8) && !char.IsAsciiLetterOrDigit((char)head[i + 3]);
    }
}
