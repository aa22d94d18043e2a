using CodePairs.Rules.Snapshots;

namespace CodePairs.Rules;

/// <summary>
/// One PTP table version in compressed-sparse-row form: for each column-1 code id, a sorted run of column-2 ids (a pair
/// with several rows repeats its id, rows in file order), with each row's window and <see cref="PtpMeta"/> in parallel
/// arrays. About 7 bytes a row; a lookup is one binary search over a short run.
/// </summary>
internal sealed class PtpIndex : ITableIndex
{
    internal PtpIndex(int[] offsets, ushort[] column2, ushort[] effective, ushort[] deletion, byte[] meta, string[] rationales)
    {
        Offsets = offsets;
        Column2 = column2;
        Effective = effective;
        Deletion = deletion;
        Meta = meta;
        Rationales = rationales;
        (OutSignatures, InSignatures) = Signatures(offsets, column2);
        Pairs = new PairFilter(offsets, column2);
    }

    public TableKind Kind => TableKind.Ptp;

    // Per code, a 256-bit signature of its column-2 partners (out) and of the codes it is column 2 of (in). Most code
    // pairs on a claim have no edit; two bit tests in arrays small enough for L2 reject ~95% of them before the binary
    // search touches the large column-2 array. Derived from the CSR arrays, so snapshots need not store them.
    private const int SignatureWords = 4;
    internal ulong[] OutSignatures { get; }
    internal ulong[] InSignatures { get; }
    internal PairFilter Pairs { get; }

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

    public int RowsNeverInForce
    {
        get
        {
            var n = 0;
            for (var r = 0; r < Effective.Length; r++) if (Deletion[r] < Effective[r]) n++;
            return n;
        }
    }

    public long IndexBytes => Offsets.Length * 4L + Column2.Length * 7L + (OutSignatures.Length + InSignatures.Length) * 8L + Pairs.Bytes;

    internal PtpMeta MetaOf(int row) => new(Meta[row]);

    /// <summary>The rows [start, end) for the ordered pair (column 1, column 2); empty when there are none.</summary>
    internal (int Start, int End) Find(int column1, int column2)
    {
        var b2 = SignatureBit(column2);
        if ((OutSignatures[column1 * SignatureWords + (b2 >> 6)] & (1UL << (b2 & 63))) == 0) return default;
        var b1 = SignatureBit(column1);
        if ((InSignatures[column2 * SignatureWords + (b1 >> 6)] & (1UL << (b1 & 63))) == 0) return default;
        if (!Pairs.MayContain(column1, column2)) return default;
        var lo = Offsets[column1];
        var hi = Offsets[column1 + 1];
        var keys = Column2;
        var target = (ushort)column2;
        // Column-2 ids of a run are sorted and spread over the code index: interpolation narrows a long run in a few
        // probes (each a likely cache miss in the large column-2 array), then a binary search finishes (at most four
        // probes, so a skewed run costs no more than the binary search would).
        for (var probe = 0; probe < 4 && hi - lo > 16; probe++)
        {
            int low = keys[lo], high = keys[hi - 1];
            if (target < low || target > high) return default;
            var guess = lo + (int)((long)(target - low) * (hi - 1 - lo) / Math.Max(1, high - low));
            if (keys[guess] < target) lo = guess + 1;
            else if (guess > lo && keys[guess - 1] >= target) hi = guess;
            else { lo = guess; hi = guess; break; }
        }
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

    /// <summary>The row of the pair's rows [start, end) that is an edit on the day: indicator 9 rows never are, and where
    /// windows overlap the stricter row (indicator 0) decides. -1 when none is.</summary>
    internal int InForce(int start, int end, ushort day)
    {
        var best = -1;
        for (var r = start; r < end; r++)
        {
            var meta = new PtpMeta(Meta[r]);
            if (meta.IsNoEdit || !NcciDate.InForce(Effective[r], Deletion[r], day)) continue;
            if (best < 0 || (meta.IsStrict && !new PtpMeta(Meta[best]).IsStrict)) best = r;
        }
        return best;
    }

    /// <summary>What a finding cites of a row (the codes' text given, so nothing is formatted here).</summary>
    internal PtpDetail Detail(int row, string column1, string column2)
    {
        var meta = MetaOf(row);
        return new PtpDetail(column1, column2, (int)meta.Indicator, NcciDate.FromDay(Effective[row]), NcciDate.FromDayOrOpen(Deletion[row]),
            Rationales[meta.Rationale], meta.PriorTo1996);
    }

    internal PtpEdit Row(int row, CodeIndex codes, int column1)
    {
        var meta = MetaOf(row);
        return new PtpEdit(codes.CodeOf(column1), codes.CodeOf(Column2[row]), meta.PriorTo1996, NcciDate.FromDay(Effective[row]),
            NcciDate.FromDayOrOpen(Deletion[row]), meta.Indicator, Rationales[meta.Rationale]);
    }

    public void MarkCodes(Span<bool> used)
    {
        for (var c1 = 0; c1 < Offsets.Length - 1; c1++)
            if (Offsets[c1 + 1] > Offsets[c1]) used[c1] = true;
        foreach (var c2 in Column2) used[c2] = true;
    }

    public ITableIndex Remap(ReadOnlySpan<ushort> map, int codeCount)
    {
        // Ids follow code order in every code index, so remapping keeps every run sorted.
        var offsets = new int[codeCount + 1];
        for (var i = 0; i < map.Length; i++)
            if (Offsets[i + 1] > Offsets[i]) offsets[map[i] + 1] = Offsets[i + 1] - Offsets[i];
        for (var i = 1; i < offsets.Length; i++) offsets[i] += offsets[i - 1];
        var column2 = new ushort[Column2.Length];
        for (var i = 0; i < column2.Length; i++) column2[i] = map[Column2[i]];
        return new PtpIndex(offsets, column2, Effective, Deletion, Meta, Rationales);
    }

    public void Write(SnapshotWriter w)
    {
        w.Array<int>(Offsets);
        w.Array<ushort>(Column2);
        w.Array<ushort>(Effective);
        w.Array<ushort>(Deletion);
        w.Array<byte>(Meta);
        w.Strings(Rationales);
    }

    internal static PtpIndex Read(ref SnapshotReader r, int codes)
    {
        var offsets = SnapshotChecks.Offsets(ref r, codes);
        var column2 = SnapshotChecks.Ids(ref r, codes, offsets[^1], allowNone: false);
        var effective = r.Array<ushort>(column2.Length);
        var deletion = r.Array<ushort>(column2.Length);
        var meta = r.Array<byte>(column2.Length);
        var rationales = r.Strings(PtpMeta.MaxRationales);
        foreach (var m in meta)
            if (!new PtpMeta(m).IsValid(rationales.Length)) throw r.Corrupt("a PTP row has an invalid indicator or names a missing rationale");
        return new PtpIndex(offsets, column2, effective, deletion, meta, rationales);
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
