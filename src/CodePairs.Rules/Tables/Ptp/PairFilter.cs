namespace CodePairs.Rules;

/// <summary>
/// A split-block Bloom filter over a PTP table's (column 1, column 2) pairs: each pair sets one bit in each of the
/// eight words of one 64-byte block, so a lookup reads one cache line. At ≈ 12 bits a pair it answers "no edit" for all
/// but ≈ 0.5 % of the pairs without one, where the per-code signatures of heavily edited codes (thousands of
/// partners: every bit set) cannot, and spares the binary search over their long runs. Derived from the CSR arrays,
/// so snapshots need not store it.
/// </summary>
internal sealed class PairFilter
{
    private const int BitsPerPair = 12;
    private const int BlockWords = 8;
    private readonly ulong[] _words;
    private readonly uint _blocks;

    public PairFilter(int[] offsets, ushort[] column2)
    {
        var pairs = 0;
        for (var c1 = 0; c1 < offsets.Length - 1; c1++)
            for (var r = offsets[c1]; r < offsets[c1 + 1]; r++)
                if (r == offsets[c1] || column2[r] != column2[r - 1]) pairs++;
        _blocks = (uint)Math.Max(1, ((long)pairs * BitsPerPair + 511) / 512);
        _words = new ulong[_blocks * BlockWords];
        for (var c1 = 0; c1 < offsets.Length - 1; c1++)
            for (var r = offsets[c1]; r < offsets[c1 + 1]; r++)
                if (r == offsets[c1] || column2[r] != column2[r - 1]) Add(c1, column2[r]);
    }

    public long Bytes => _words.Length * 8L;

    private static ulong Hash(int column1, int column2)
    {
        var h = ((ulong)(uint)column1 << 32 | (uint)column2) * 0x9E3779B97F4A7C15UL;
        h ^= h >> 29;
        return h * 0xBF58476D1CE4E5B9UL;
    }

    /// <summary>Eight 6-bit bit positions, one per word of the block (1UL &lt;&lt; n uses n's low 6 bits).</summary>
    private static ulong Bits(ulong hash) => hash * 0x2545F4914F6CDD1DUL;

    private int Block(ulong hash) => (int)(((hash >> 32) * _blocks) >> 32) * BlockWords;

    private void Add(int column1, int column2)
    {
        var h = Hash(column1, column2);
        var block = Block(h);
        var bits = Bits(h);
        for (var w = 0; w < BlockWords; w++) _words[block + w] |= 1UL << (int)(bits >> (w * 6));
    }

    /// <summary>False when the table has no row for the pair; true when it may have one.</summary>
    public bool MayContain(int column1, int column2)
    {
        var h = Hash(column1, column2);
        var block = Block(h);
        var bits = Bits(h);
        var words = _words;
        for (var w = 0; w < BlockWords; w++)
            if ((words[block + w] & (1UL << (int)(bits >> (w * 6)))) == 0) return false;
        return true;
    }
}
