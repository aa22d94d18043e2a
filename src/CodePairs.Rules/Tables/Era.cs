namespace CodePairs.Rules;

/// <summary>
/// A span of dates over which no table changes version: for each table the version in force from <see cref="Start"/>
/// until the next era. Built once per rule set so a claim finds its versions with one search, and the sources an
/// answer cites are ready-made.
/// </summary>
internal sealed class Era
{
    private readonly RuleSource[][] _sources;

    internal Era(ushort start, TableVersion?[] versions)
    {
        Start = start;
        Versions = versions;
        _sources = [SourcesOf(Setting.Practitioner), SourcesOf(Setting.Hospital)];
    }

    /// <summary>The first day (NcciDate days) of the era; 0 for the era before every version's start.</summary>
    public ushort Start { get; }

    /// <summary>The version in force per table (indexed by <see cref="TableId"/>), or null when none is.</summary>
    public TableVersion?[] Versions { get; }

    public TableVersion? Version(TableId table) => Versions[(int)table];

    /// <summary>The sources of the setting's tables in force (what an answer judged in this era cites).</summary>
    public RuleSource[] Sources(Setting setting) => _sources[(int)setting];

    private RuleSource[] SourcesOf(Setting setting)
        => Tables.For(setting).Select(t => Versions[(int)t]?.Source).OfType<RuleSource>().ToArray();

    /// <summary>The eras of a set of versions. A date before every version of a table is judged by its earliest
    /// version when the table's rows carry their own dates (PTP, AOC: CMS keeps history in each file); an MUE table,
    /// whose rows carry no dates, is in force only from its effective date.</summary>
    internal static Era[] Of(IReadOnlyList<TableVersion> versions)
    {
        var starts = versions.Select(v => NcciDate.ToDay(v.EffectiveFrom)).Where(d => d > 0).Distinct().Order().Prepend((ushort)0).ToArray();
        var eras = new Era[starts.Length];
        for (var e = 0; e < starts.Length; e++)
        {
            var inForce = new TableVersion?[Tables.All.Count];
            foreach (var table in Tables.All)
                inForce[(int)table] = table.InForce(versions.Where(v => v.Table == table), NcciDate.FromDay(starts[e]), v => v.EffectiveFrom);
            eras[e] = new Era(starts[e], inForce);
        }
        return eras;
    }
}
