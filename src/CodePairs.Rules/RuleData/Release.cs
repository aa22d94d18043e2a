namespace CodePairs.Rules;

/// <summary>What one table of a release came from: the table name, the CMS version of its file(s), its row count.</summary>
public sealed record ReleaseComponent(string Table, string Version, int Rows, DateOnly EffectiveFrom);

/// <summary>
/// One quarter's CMS tables (PTP practitioner and hospital, AOC, MUE practitioner, hospital and DME), judged for every
/// date of service from <see cref="EffectiveFrom"/> until the next release's start. Immutable.
/// </summary>
public sealed class Release
{
    internal Release(string id, DateOnly effectiveFrom, IReadOnlyList<ReleaseComponent> components,
        PtpIndex?[] ptp, AddOnIndex? addOns, MueIndex?[] mue)
    {
        Id = id;
        EffectiveFrom = effectiveFrom;
        Components = components;
        PtpTables = ptp;
        AddOns = addOns;
        MueTables = mue;
        // Findings cite a source per table; build each once (the validator asks for them on every claim).
        foreach (var name in (string[])["ptp-practitioner", "ptp-hospital", TableNames.AddOn, "mue-practitioner", "mue-hospital", "mue-dme"])
            _sources[name] = new RuleSource(name, id, VersionOf(name));
    }

    private readonly Dictionary<string, RuleSource> _sources = new(StringComparer.Ordinal);

    /// <summary>The source a finding cites for a table of this release.</summary>
    internal RuleSource SourceFor(string table)
        => _sources.TryGetValue(table, out var source) ? source : new RuleSource(table, Id, VersionOf(table));

    /// <summary>The release id, e.g. <c>v322r0</c>.</summary>
    public string Id { get; }
    public DateOnly EffectiveFrom { get; }
    public IReadOnlyList<ReleaseComponent> Components { get; }

    internal PtpIndex?[] PtpTables { get; }
    internal AddOnIndex? AddOns { get; }
    internal MueIndex?[] MueTables { get; }

    internal PtpIndex? Ptp(PtpTable table) => PtpTables[(int)table];
    internal MueIndex? Mue(MueTable table) => MueTables[(int)table];

    public ReleaseComponent? Component(string table) => Components.FirstOrDefault(c => c.Table == table);

    /// <summary>The version string a finding cites for a table of this release (the CMS file version when known).</summary>
    internal string VersionOf(string table) => Component(table)?.Version ?? Id;
}
