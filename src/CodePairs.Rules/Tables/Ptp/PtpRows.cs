using System.Runtime.InteropServices;

namespace CodePairs.Rules;

/// <summary>The rows of one PTP table version as they are read, held column-wise so millions of rows cost no per-row
/// objects; <see cref="RuleSetBuilder"/> turns them into a <see cref="PtpIndex"/>.</summary>
public sealed class PtpRows
{
    internal readonly List<int> Column1 = [];
    internal readonly List<int> Column2 = [];
    internal readonly List<ushort> Effective = [];
    internal readonly List<ushort> Deletion = [];
    internal readonly List<byte> Meta = [];
    internal readonly Dictionary<string, int> Rationales = new(StringComparer.Ordinal);

    internal PtpRows(TableId table)
    {
        if (table.Kind() != TableKind.Ptp) throw new ArgumentException($"{table.Name()} is not a PTP table", nameof(table));
        Table = table;
    }

    public TableId Table { get; }
    public int Count => Column1.Count;

    /// <summary>Adds a row. A deletion date before the effective date is CMS data too: the row is kept and never in force.</summary>
    public void Add(in PtpRow row)
    {
        if (row.Column1.IsEmpty || row.Column2.IsEmpty) throw new ArgumentException("a PTP row needs both codes");
        if (row.Indicator is not (ModifierIndicator.NotAllowed or ModifierIndicator.Allowed or ModifierIndicator.NotApplicable))
            throw new ArgumentException($"PTP {row.Column1}/{row.Column2}: modifier indicator must be 0, 1 or 9");
        var rationale = RationaleIndex(row.Rationale);
        if (rationale < 0) throw new ArgumentException($"a PTP table may use at most {PtpMeta.MaxRationales} distinct rationales");
        AddChecked(row.Column1.Packed, row.Column2.Packed, NcciDate.ToDay(row.Effective), NcciDate.ToDay(row.Deletion),
            PtpMeta.Of(row.Indicator, row.PriorTo1996, rationale).Value);
    }

    /// <summary>The index of a rationale in this table's vocabulary, adding it when new; -1 when the vocabulary is full
    /// (readers resolve each distinct text once, then append rows with <see cref="AddChecked"/>).</summary>
    internal int RationaleIndex(string rationale)
    {
        if (!Rationales.TryGetValue(rationale, out var index))
        {
            if (Rationales.Count >= PtpMeta.MaxRationales) return -1;
            index = Rationales.Count;
            Rationales.Add(rationale, index);
        }
        return index;
    }

    /// <summary>Appends a row the caller has already validated (codes non-empty, meta packed).</summary>
    internal void AddChecked(int column1, int column2, ushort effective, ushort deletion, byte meta)
    {
        Column1.Add(column1);
        Column2.Add(column2);
        Effective.Add(effective);
        Deletion.Add(deletion);
        Meta.Add(meta);
    }

    /// <summary>Appends every row of <paramref name="other"/> (a part read on its own), remapping its rationales;
    /// false when the two together name more rationales than a table can hold.</summary>
    internal bool AppendFrom(PtpRows other)
    {
        var map = new byte[other.Rationales.Count];
        foreach (var (text, index) in other.Rationales)
        {
            var to = RationaleIndex(text);
            if (to < 0) return false;
            map[index] = (byte)to;
        }
        Column1.AddRange(CollectionsMarshal.AsSpan(other.Column1));
        Column2.AddRange(CollectionsMarshal.AsSpan(other.Column2));
        Effective.AddRange(CollectionsMarshal.AsSpan(other.Effective));
        Deletion.AddRange(CollectionsMarshal.AsSpan(other.Deletion));
        var start = Meta.Count;
        Meta.AddRange(CollectionsMarshal.AsSpan(other.Meta));
        var meta = CollectionsMarshal.AsSpan(Meta)[start..];
        for (var i = 0; i < meta.Length; i++) meta[i] = new PtpMeta(meta[i]).WithRationale(map[meta[i] >> 3]).Value;
        return true;
    }

    internal void MarkCodes(HashSet<int> packed)
    {
        foreach (var c in CollectionsMarshal.AsSpan(Column1)) packed.Add(c);
        foreach (var c in CollectionsMarshal.AsSpan(Column2)) packed.Add(c);
    }

    /// <summary>The compact index of these rows over <paramref name="codes"/>.</summary>
    internal PtpIndex Build(CodeIndex codes)
    {
        var n = Count;
        var c1 = CollectionsMarshal.AsSpan(Column1);
        var c2 = CollectionsMarshal.AsSpan(Column2);
        // Sort by (column 1 id, column 2 id, original row) so a pair's rows stay adjacent and in file order.
        var keys = new ulong[n];
        int lastPacked = 0, lastId = 0; // CMS files come sorted by column 1: look each run's code up once
        for (var i = 0; i < n; i++)
        {
            if (c1[i] != lastPacked) (lastPacked, lastId) = (c1[i], codes.Find(HcpcsCode.FromPacked(c1[i])));
            keys[i] = ((ulong)(uint)lastId << 48) | ((ulong)(uint)codes.Find(HcpcsCode.FromPacked(c2[i])) << 32) | (uint)i;
        }
        Array.Sort(keys);

        var offsets = new int[codes.Count + 1];
        var column2 = new ushort[n];
        var effective = new ushort[n];
        var deletion = new ushort[n];
        var meta = new byte[n];
        for (var k = 0; k < n; k++)
        {
            var key = keys[k];
            var i = (int)(uint)key;
            offsets[(int)(key >> 48) + 1]++;
            column2[k] = (ushort)(key >> 32);
            effective[k] = Effective[i];
            deletion[k] = Deletion[i];
            meta[k] = Meta[i];
        }
        for (var i = 1; i < offsets.Length; i++) offsets[i] += offsets[i - 1];
        var rationales = new string[Rationales.Count];
        foreach (var (text, index) in Rationales) rationales[index] = text;
        return new PtpIndex(offsets, column2, effective, deletion, meta, rationales);
    }
}
