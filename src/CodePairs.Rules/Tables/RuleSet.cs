namespace CodePairs.Rules;

/// <summary>
/// An immutable rule set: for each of the six tables, the versions held (each with its effective date), all over one
/// code index. For a date of service and a table, the version in force is the latest one of that table effective on or
/// before the date; tables change versions on their own cadences (PTP and MUE quarterly, AOC when CMS changes it).
/// </summary>
public sealed class RuleSet
{
    private readonly TableVersion[][] _byTable;

    internal RuleSet(CodeIndex codes, IEnumerable<TableVersion> versions)
    {
        var all = versions.OrderBy(v => v.Table).ThenBy(v => v.EffectiveFrom).ToArray();
        if (all.Length == 0) throw new ArgumentException("a rule set needs at least one table version");
        foreach (var v in all)
            if (!ReferenceEquals(v.Codes, codes)) throw new ArgumentException($"{v} is indexed over another code index");
        var clash = all.GroupBy(v => (v.Table, v.EffectiveFrom)).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
            throw new ArgumentException($"two {clash.Key.Table.Name()} versions start on {clash.Key.EffectiveFrom:yyyy-MM-dd} ({string.Join(", ", clash.Select(v => v.Version))})");
        Codes = codes;
        Versions = all;
        _byTable = Tables.All.Select(t => all.Where(v => v.Table == t).ToArray()).ToArray();
        Eras = Era.Of(all);
    }

    public CodeIndex Codes { get; }

    /// <summary>Every version held, by table then effective date.</summary>
    public IReadOnlyList<TableVersion> Versions { get; }

    internal Era[] Eras { get; }

    /// <summary>The versions held of one table, oldest first.</summary>
    public IReadOnlyList<TableVersion> VersionsOf(TableId table) => _byTable[(int)table];

    /// <summary>The version of <paramref name="table"/> in force on <paramref name="date"/>, or null when none is (no
    /// version loaded; or an MUE table before its first version).</summary>
    public TableVersion? VersionFor(TableId table, DateOnly date) => EraFor(NcciDate.ToDay(date)).Version(table);

    internal Era EraFor(ushort day)
    {
        var eras = Eras;
        int lo = 0, hi = eras.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) >> 1;
            if (eras[mid].Start <= day) lo = mid; else hi = mid - 1;
        }
        return eras[lo];
    }

    /// <summary>The latest effective date of any version: a sensible default date for questions asked without one.</summary>
    public DateOnly LatestStart => Versions.Max(v => v.EffectiveFrom);

    /// <summary>Rows from CMS files, a generator or a test, built into one rule set.</summary>
    public static RuleSet Build(RuleSetBuilder builder) => builder.Build();

    /// <summary>One rule set from versions of any rule sets (loaded separately, e.g. one snapshot per version): the codes
    /// the versions name become the code index and every index is remapped onto it.</summary>
    public static RuleSet Compose(IEnumerable<TableVersion> versions)
    {
        var list = versions.ToList();
        if (list.Count == 0) throw new ArgumentException("a rule set needs at least one table version");
        var packed = new HashSet<int>();
        foreach (var v in list)
        {
            Span<bool> used = new bool[v.Codes.Count];
            v.Index.MarkCodes(used);
            for (var id = 0; id < used.Length; id++)
                if (used[id]) packed.Add(v.Codes.CodeOf(id).Packed);
        }
        var sorted = packed.ToArray();
        Array.Sort(sorted);
        var first = list[0].Codes;
        if (list.All(v => ReferenceEquals(v.Codes, first)) && first.PackedCodes.SequenceEqual(sorted))
            return new RuleSet(first, list);
        var codes = new CodeIndex(sorted);
        return new RuleSet(codes, list.Select(v => Rebind(v, codes)));
    }

    /// <summary>This rule set with <paramref name="added"/>'s versions laid over it: an added version replaces a held
    /// version of the same table that starts on the same day or has the same CMS version (a revision or a reissue); every
    /// other version of every table carries over. At most <paramref name="keepPerTable"/> versions of a table are kept
    /// (the latest ones).</summary>
    public RuleSet With(RuleSet added, int keepPerTable = int.MaxValue)
        => Compose(Overlay(Versions, added.Versions, keepPerTable));

    /// <summary>The overlay rule of <see cref="With"/> on any version lists (storage composes states with it too).</summary>
    public static IReadOnlyList<T> Overlay<T>(IEnumerable<T> held, IEnumerable<T> added, int keepPerTable, Func<T, (TableId Table, DateOnly Effective, string Version)> key)
    {
        if (keepPerTable < 1) throw new ArgumentOutOfRangeException(nameof(keepPerTable), "keep at least one version per table");
        var addedList = added.ToList();
        var kept = held.Where(h => !addedList.Any(a => key(a).Table == key(h).Table
            && (key(a).Effective == key(h).Effective || string.Equals(key(a).Version, key(h).Version, StringComparison.OrdinalIgnoreCase))));
        return kept.Concat(addedList)
            .GroupBy(v => key(v).Table)
            .SelectMany(g => g.OrderByDescending(v => key(v).Effective).Take(keepPerTable))
            .OrderBy(v => key(v).Table).ThenBy(v => key(v).Effective)
            .ToArray();
    }

    private static IReadOnlyList<TableVersion> Overlay(IEnumerable<TableVersion> held, IEnumerable<TableVersion> added, int keep)
        => Overlay(held, added, keep, v => (v.Table, v.EffectiveFrom, v.Version));

    internal static TableVersion Rebind(TableVersion v, CodeIndex codes)
    {
        if (ReferenceEquals(v.Codes, codes)) return v;
        var map = new ushort[v.Codes.Count];
        for (var id = 0; id < map.Length; id++)
        {
            var to = codes.Find(v.Codes.CodeOf(id));
            map[id] = to < 0 ? CodeIndex.None : (ushort)to;
        }
        return new TableVersion(v.Table, v.Version, v.EffectiveFrom, v.Sources, v.Index.Remap(map, codes.Count), codes, v.ContentHashIfKnown);
    }

    /// <summary>The bytes held by the index arrays (what the rule set costs in memory, strings aside).</summary>
    public long IndexBytes => Codes.Count * 4L * 4 + Versions.Sum(v => v.Index.IndexBytes);
}
