using System.Runtime.InteropServices;

namespace CodePairs.Rules;

/// <summary>Collects the rows of one release (from CMS files, a generator or a test) before
/// <see cref="RuleSet.Build"/> turns them into compact indexes. Rows are validated as they arrive.</summary>
public sealed class ReleaseBuilder
{
    internal readonly PtpRows?[] Ptp = new PtpRows?[2];
    internal readonly MueRows?[] Mue = new MueRows?[3];
    internal List<AddOnRow>? AddOns;
    internal string? AddOnVersion;
    internal DateOnly AddOnEffective;

    public ReleaseBuilder(string id, DateOnly effectiveFrom)
    {
        if (string.IsNullOrWhiteSpace(id)) throw new ArgumentException("a release needs an id", nameof(id));
        Id = id;
        EffectiveFrom = effectiveFrom;
    }

    public string Id { get; }
    public DateOnly EffectiveFrom { get; }

    /// <summary>Starts (or continues: f1…f4 zips add to one table) a PTP table and returns its row sink.</summary>
    public PtpRows PtpTable(PtpTable table, string version)
        => Ptp[(int)table] ??= new PtpRows(table, version);

    public ReleaseBuilder AddPtp(PtpTable table, string version, IEnumerable<PtpRow> rows)
    {
        var sink = PtpTable(table, version);
        foreach (var row in rows) sink.Add(row);
        return this;
    }

    public ReleaseBuilder AddAddOns(string version, DateOnly effectiveFrom, IEnumerable<AddOnRow> rows)
    {
        AddOnVersion = version;
        AddOnEffective = effectiveFrom;
        AddOns ??= [];
        foreach (var row in rows)
        {
            if (row.AddOn.IsEmpty) throw new ArgumentException("an add-on row needs an add-on code");
            if (row.Type is not (AddOnType.Type1 or AddOnType.Type2 or AddOnType.Type3))
                throw new ArgumentException($"add-on {row.AddOn}: edit type must be 1, 2 or 3");
            AddOns.Add(row);
        }
        return this;
    }

    public MueRows MueTable(MueTable table, string version, DateOnly effectiveFrom)
        => Mue[(int)table] ??= new MueRows(table, version, effectiveFrom);

    public ReleaseBuilder AddMue(MueTable table, string version, DateOnly effectiveFrom, IEnumerable<MueRow> rows)
    {
        var sink = MueTable(table, version, effectiveFrom);
        foreach (var row in rows) sink.Add(row);
        return this;
    }

    /// <summary>The rows of one PTP table, held column-wise so millions of rows cost no per-row objects.</summary>
    public sealed class PtpRows
    {
        internal readonly List<int> Column1 = [];
        internal readonly List<int> Column2 = [];
        internal readonly List<ushort> Effective = [];
        internal readonly List<ushort> Deletion = [];
        internal readonly List<byte> Meta = [];
        internal readonly Dictionary<string, int> Rationales = new(StringComparer.Ordinal);

        internal PtpRows(PtpTable table, string version)
        {
            Table = table;
            Version = version;
        }

        public PtpTable Table { get; }
        public string Version { get; }
        public int Count => Column1.Count;

        public void Add(in PtpRow row)
        {
            if (row.Column1.IsEmpty || row.Column2.IsEmpty) throw new ArgumentException("a PTP row needs both codes");
            if (row.Deletion is { } d && d < row.Effective)
                throw new ArgumentException($"PTP {row.Column1}/{row.Column2}: deletion date {d:yyyy-MM-dd} is before effective date {row.Effective:yyyy-MM-dd}");
            if (row.Indicator is not (ModifierIndicator.NotAllowed or ModifierIndicator.Allowed or ModifierIndicator.NotApplicable))
                throw new ArgumentException($"PTP {row.Column1}/{row.Column2}: modifier indicator must be 0, 1 or 9");
            if (!Rationales.TryGetValue(row.Rationale, out var rationale))
            {
                rationale = Rationales.Count;
                if (rationale >= PtpIndex.MaxRationales)
                    throw new ArgumentException($"a PTP table may use at most {PtpIndex.MaxRationales} distinct rationales");
                Rationales.Add(row.Rationale, rationale);
            }
            Column1.Add(row.Column1.Packed);
            Column2.Add(row.Column2.Packed);
            Effective.Add(NcciDate.ToDay(row.Effective));
            Deletion.Add(NcciDate.ToDay(row.Deletion));
            Meta.Add(PtpIndex.PackMeta(row.Indicator, row.PriorTo1996, rationale));
        }

        /// <summary>The index of a rationale in this table's vocabulary, adding it when new (readers resolve each
        /// distinct text once, then append rows with <see cref="AddChecked"/>).</summary>
        internal int RationaleIndex(string rationale)
        {
            if (!Rationales.TryGetValue(rationale, out var index))
            {
                index = Rationales.Count;
                if (index >= PtpIndex.MaxRationales)
                    throw new ArgumentException($"a PTP table may use at most {PtpIndex.MaxRationales} distinct rationales");
                Rationales.Add(rationale, index);
            }
            return index;
        }

        /// <summary>Appends a row the caller has already validated (codes non-empty, deletion on or after effective).</summary>
        internal void AddChecked(int column1, int column2, ushort effective, ushort deletion, byte meta)
        {
            Column1.Add(column1);
            Column2.Add(column2);
            Effective.Add(effective);
            Deletion.Add(deletion);
            Meta.Add(meta);
        }

        /// <summary>Appends every row of <paramref name="other"/> (a part read on its own), remapping its rationales.</summary>
        internal void AppendFrom(PtpRows other)
        {
            var map = new byte[other.Rationales.Count];
            foreach (var (text, index) in other.Rationales) map[index] = (byte)RationaleIndex(text);
            Column1.AddRange(CollectionsMarshal.AsSpan(other.Column1));
            Column2.AddRange(CollectionsMarshal.AsSpan(other.Column2));
            Effective.AddRange(CollectionsMarshal.AsSpan(other.Effective));
            Deletion.AddRange(CollectionsMarshal.AsSpan(other.Deletion));
            var start = Meta.Count;
            Meta.AddRange(CollectionsMarshal.AsSpan(other.Meta));
            var meta = CollectionsMarshal.AsSpan(Meta)[start..];
            for (var i = 0; i < meta.Length; i++) meta[i] = (byte)((meta[i] & 7) | (map[meta[i] >> 3] << 3));
        }

        internal ReadOnlySpan<int> Column1Span => CollectionsMarshal.AsSpan(Column1);
        internal ReadOnlySpan<int> Column2Span => CollectionsMarshal.AsSpan(Column2);
    }

    /// <summary>The rows of one MUE table; a code appears at most once.</summary>
    public sealed class MueRows
    {
        internal readonly Dictionary<int, MueRow> Rows = [];

        internal MueRows(MueTable table, string version, DateOnly effectiveFrom)
        {
            Table = table;
            Version = version;
            EffectiveFrom = effectiveFrom;
        }

        public MueTable Table { get; }
        public string Version { get; }
        public DateOnly EffectiveFrom { get; }
        public int Count => Rows.Count;

        public void Add(in MueRow row)
        {
            if (row.Code.IsEmpty) throw new ArgumentException("an MUE row needs a code");
            if (row.Value < 0) throw new ArgumentException($"MUE {row.Code}: value must not be negative");
            if (row.Adjudication is not (MueAdjudication.Line or MueAdjudication.DateOfServicePolicy or MueAdjudication.DateOfServiceClinical))
                throw new ArgumentException($"MUE {row.Code}: adjudication indicator must be 1, 2 or 3");
            if (!Rows.TryAdd(row.Code.Packed, row))
                throw new ArgumentException($"MUE {row.Code} appears twice in the {Table.Name()} table");
        }
    }
}
