namespace CodePairs.Rules;

/// <summary>Collects the rows of table versions (from CMS files, a generator or a test) before <see cref="Build"/>
/// turns them into the compact indexes of one <see cref="RuleSet"/>. Rows are validated as they arrive. A builder may
/// hold any subset of the tables, and several versions of one table.</summary>
public sealed class RuleSetBuilder
{
    private readonly List<Pending> _pending = [];

    private sealed record Pending(TableId Table, string Version, DateOnly EffectiveFrom, List<TableSource> Sources, object Rows)
    {
        public int Count => Rows switch { PtpRows p => p.Count, AddOnRows a => a.Count, MueRows m => m.Count, _ => 0 };
    }

    /// <summary>The versions collected so far: table, version, effective date, rows.</summary>
    public IReadOnlyList<(TableId Table, string Version, DateOnly EffectiveFrom, int Rows)> Versions
        => _pending.Select(p => (p.Table, p.Version, p.EffectiveFrom, p.Count)).ToArray();

    public bool IsEmpty => _pending.Count == 0;

    /// <summary>Starts (or continues: f1…f4 files add to one table version) a PTP table version and returns its row sink.</summary>
    public PtpRows Ptp(TableId table, string version, DateOnly effectiveFrom)
        => (PtpRows)Get(Require(table, TableKind.Ptp), version, effectiveFrom, () => new PtpRows(table));

    public AddOnRows AddOns(string version, DateOnly effectiveFrom)
        => (AddOnRows)Get(TableId.AddOn, version, effectiveFrom, () => new AddOnRows());

    public MueRows Mue(TableId table, string version, DateOnly effectiveFrom)
        => (MueRows)Get(Require(table, TableKind.Mue), version, effectiveFrom, () => new MueRows(table));

    private static TableId Require(TableId table, TableKind kind)
        => table.Kind() == kind ? table : throw new ArgumentException($"{table.Name()} is not a {kind} table", nameof(table));

    public RuleSetBuilder AddPtp(TableId table, string version, DateOnly effectiveFrom, IEnumerable<PtpRow> rows)
    {
        var sink = Ptp(table, version, effectiveFrom);
        foreach (var row in rows) sink.Add(row);
        return this;
    }

    public RuleSetBuilder AddAddOns(string version, DateOnly effectiveFrom, IEnumerable<AddOnRow> rows)
    {
        AddOns(version, effectiveFrom).AddRange(rows);
        return this;
    }

    public RuleSetBuilder AddMue(TableId table, string version, DateOnly effectiveFrom, IEnumerable<MueRow> rows)
    {
        Mue(table, version, effectiveFrom).AddRange(rows);
        return this;
    }

    /// <summary>Records a file a table version was read from.</summary>
    public RuleSetBuilder AddSource(TableId table, string version, TableSource source)
    {
        var pending = _pending.FirstOrDefault(p => p.Table == table && p.Version == version)
            ?? throw new ArgumentException($"no {table.Name()} version {version} is being collected");
        pending.Sources.Add(source);
        return this;
    }

    private object Get(TableId table, string version, DateOnly effectiveFrom, Func<object> create)
    {
        if (string.IsNullOrWhiteSpace(version)) throw new ArgumentException("a table version needs a version", nameof(version));
        var existing = _pending.FirstOrDefault(p => p.Table == table && p.Version == version);
        if (existing is not null)
        {
            if (existing.EffectiveFrom != effectiveFrom)
                throw new ArgumentException($"{table.Name()} {version} starts on {existing.EffectiveFrom:yyyy-MM-dd}, not {effectiveFrom:yyyy-MM-dd}");
            return existing.Rows;
        }
        var rows = create();
        _pending.Add(new Pending(table, version, effectiveFrom, [], rows));
        return rows;
    }

    /// <summary>How many distinct codes the rows collected so far name (a rule set holds at most <see cref="CodeIndex.MaxCodes"/>).</summary>
    public int DistinctCodes => Codes().Count;

    private HashSet<int> Codes()
    {
        var packed = new HashSet<int>();
        foreach (var p in _pending)
            switch (p.Rows)
            {
                case PtpRows rows: rows.MarkCodes(packed); break;
                case AddOnRows rows: rows.MarkCodes(packed); break;
                case MueRows rows: rows.MarkCodes(packed); break;
            }
        return packed;
    }

    /// <summary>Builds the rule set: one code index over every code the rows name, one compact index per version.</summary>
    public RuleSet Build()
    {
        if (_pending.Count == 0) throw new ArgumentException("a rule set needs at least one table version");
        var sorted = Codes().ToArray();
        Array.Sort(sorted);
        var codes = new CodeIndex(sorted);
        var versions = _pending.Select(p => new TableVersion(p.Table, p.Version, p.EffectiveFrom, p.Sources.ToArray(), p.Rows switch
        {
            PtpRows rows => rows.Build(codes),
            AddOnRows rows => rows.Build(codes),
            MueRows rows => (ITableIndex)((MueRows)rows).Build(codes),
            _ => throw new InvalidOperationException(),
        }, codes));
        return new RuleSet(codes, versions);
    }
}
