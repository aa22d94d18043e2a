namespace CodePairs.Rules;

/// <summary>
/// One PTP table of one release in compressed-sparse-row form: for each column-1 code id, a sorted run of column-2
/// ids (a pair with several rows repeats its id, rows in file order), with each row's window, indicator, pre-1996 flag
/// and rationale in parallel arrays. About 7 bytes a row; a lookup is one binary search over a short run.
/// </summary>
internal sealed class PtpIndex
{
    // Meta byte: bits 0-1 indicator (0, 1, 2 = "9"), bit 2 prior-to-1996, bits 3-7 rationale index.
    internal const int MaxRationales = 32;

    internal PtpIndex(int[] offsets, ushort[] column2, ushort[] effective, ushort[] deletion, byte[] meta, string[] rationales)
    {
        Offsets = offsets;
        Column2 = column2;
        Effective = effective;
        Deletion = deletion;
        Meta = meta;
        Rationales = rationales;
        (OutSignatures, InSignatures) = Signatures(offsets, column2);
    }

    // Per code, a 256-bit signature of its column-2 partners (out) and of the codes it is column 2 of (in). Most code
    // pairs on a claim have no edit; two bit tests in arrays small enough for L2 reject ~95% of them before the binary
    // search touches the large column-2 array. Derived from the CSR arrays, so snapshots need not store them.
    private const int SignatureWords = 4;
    internal ulong[] OutSignatures { get; }
    internal ulong[] InSignatures { get; }

    private static int SignatureBit(int id) => (int)(((uint)id * 0x9E3779B1u) >> 24);

    private static (ulong[] Out, ulong[] In) Signatures(int[] offsets, ushort[] column2)
    {
        var codes = offsets.Length - 1;
        var outSig = new ulong[codes * SignatureWords];
        var inSig = new ulong[codes * SignatureWords];
        for (var c1 = 0; c1 < codes; c1++)
        {
            var b1 = SignatureBit(c1);
            for (var r = offsets[c1]; r < offsets[c1 + 1]; r++)
            {
                int c2 = column2[r];
                var b2 = SignatureBit(c2);
                outSig[c1 * SignatureWords + (b2 >> 6)] |= 1UL << (b2 & 63);
                inSig[c2 * SignatureWords + (b1 >> 6)] |= 1UL << (b1 & 63);
            }
        }
        return (outSig, inSig);
    }

    internal int[] Offsets { get; }
    internal ushort[] Column2 { get; }
    internal ushort[] Effective { get; }
    internal ushort[] Deletion { get; }
    internal byte[] Meta { get; }
    internal string[] Rationales { get; }

    public int RowCount => Column2.Length;

    internal static byte PackMeta(ModifierIndicator indicator, bool prior1996, int rationale)
        => (byte)((indicator switch { ModifierIndicator.NotAllowed => 0, ModifierIndicator.Allowed => 1, _ => 2 })
                  | (prior1996 ? 4 : 0) | (rationale << 3));

    internal static ModifierIndicator IndicatorOf(byte meta) => (meta & 3) switch
    {
        0 => ModifierIndicator.NotAllowed,
        1 => ModifierIndicator.Allowed,
        _ => ModifierIndicator.NotApplicable,
    };

    /// <summary>The rows [start, end) for the ordered pair (column 1, column 2); empty when there are none.</summary>
    internal (int Start, int End) Find(int column1, int column2)
    {
        var b2 = SignatureBit(column2);
        if ((OutSignatures[column1 * SignatureWords + (b2 >> 6)] & (1UL << (b2 & 63))) == 0) return default;
        var b1 = SignatureBit(column1);
        if ((InSignatures[column2 * SignatureWords + (b1 >> 6)] & (1UL << (b1 & 63))) == 0) return default;
        var lo = Offsets[column1];
        var hi = Offsets[column1 + 1];
        var keys = Column2;
        var target = (ushort)column2;
        // lower bound
        while (lo < hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            if (keys[mid] < target) lo = mid + 1; else hi = mid;
        }
        var end = lo;
        var last = Offsets[column1 + 1];
        while (end < last && keys[end] == target) end++;
        return (lo, end);
    }

    internal PtpEdit Row(int row, CodeIndex codes, int column1)
    {
        var meta = Meta[row];
        return new PtpEdit(
            codes.CodeOf(column1),
            codes.CodeOf(Column2[row]),
            (meta & 4) != 0,
            NcciDate.FromDay(Effective[row]),
            NcciDate.FromDayOrOpen(Deletion[row]),
            IndicatorOf(meta),
            Rationales[meta >> 3]);
    }
}

/// <summary>A PTP row read back from a rule set (the public face of <see cref="PtpIndex"/>).</summary>
public sealed record PtpEdit(
    HcpcsCode Column1,
    HcpcsCode Column2,
    bool PriorTo1996,
    DateOnly Effective,
    DateOnly? Deletion,
    ModifierIndicator Indicator,
    string Rationale)
{
    /// <summary>True when the row is an edit on the date (indicator 9 rows never are).</summary>
    public bool InForceOn(DateOnly dos) => Indicator != ModifierIndicator.NotApplicable && NcciDate.InForce(Effective, Deletion, dos);
}
