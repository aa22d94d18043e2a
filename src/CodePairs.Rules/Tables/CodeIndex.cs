using System.Numerics;

namespace CodePairs.Rules;

/// <summary>
/// Maps every code a rule set knows to a dense 16-bit id (ids follow code order). Lookups go through a small
/// open-addressing table keyed by the packed code, so the request path never allocates or hashes strings.
/// </summary>
public sealed class CodeIndex
{
    public const int MaxCodes = ushort.MaxValue - 1; // ushort.MaxValue is the "no code" sentinel in the indexes
    internal const ushort None = ushort.MaxValue;

    private readonly int[] _codes;      // dense id -> packed code, ascending
    private readonly int[] _slotKeys;   // packed code, 0 = empty
    private readonly ushort[] _slotIds;
    private readonly int _shift;
    private readonly string[] _text;

    internal CodeIndex(int[] sortedPackedCodes)
    {
        if (sortedPackedCodes.Length > MaxCodes)
            throw new InvalidOperationException($"a rule set holds at most {MaxCodes} distinct codes; this one has {sortedPackedCodes.Length}");
        _codes = sortedPackedCodes;
        var capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, sortedPackedCodes.Length * 2));
        _shift = 32 - BitOperations.Log2((uint)capacity);
        _slotKeys = new int[capacity];
        _slotIds = new ushort[capacity];
        _text = new string[sortedPackedCodes.Length];
        for (var id = 0; id < _text.Length; id++) _text[id] = HcpcsCode.FromPacked(sortedPackedCodes[id]).ToString();
        for (var id = 0; id < sortedPackedCodes.Length; id++)
        {
            var slot = Slot(sortedPackedCodes[id]);
            while (_slotKeys[slot] != 0) slot = (slot + 1) & (capacity - 1);
            _slotKeys[slot] = sortedPackedCodes[id];
            _slotIds[slot] = (ushort)id;
        }
    }

    public int Count => _codes.Length;

    internal ReadOnlySpan<int> PackedCodes => _codes;

    private int Slot(int packed) => (int)(((uint)packed * 0x9E3779B1u) >> _shift);

    /// <summary>The dense id of a code, or -1 when no table of the rule set names it.</summary>
    public int Find(HcpcsCode code)
    {
        var key = code.Packed;
        if (key == 0) return -1;
        var mask = _slotKeys.Length - 1;
        var slot = Slot(key);
        while (true)
        {
            var k = _slotKeys[slot];
            if (k == key) return _slotIds[slot];
            if (k == 0) return -1;
            slot = (slot + 1) & mask;
        }
    }

    public HcpcsCode CodeOf(int id) => HcpcsCode.FromPacked(_codes[id]);

    /// <summary>The code's text, formatted once (findings cite codes as text on the hot path).</summary>
    public string TextOf(int id) => _text[id];

    private IReadOnlyList<string>?[]? _singles;

    /// <summary>A shared read-only [code] list for a finding that names one code (made on first use, per code).</summary>
    internal IReadOnlyList<string> Single(int id)
    {
        var singles = _singles ??= new IReadOnlyList<string>?[_text.Length];
        return singles[id] ??= Array.AsReadOnly(new[] { _text[id] });
    }
}
