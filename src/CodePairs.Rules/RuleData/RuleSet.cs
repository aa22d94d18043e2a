namespace CodePairs.Rules;

/// <summary>
/// An immutable set of releases sharing one code index. A claim line is judged by the release in force on its date
/// of service: the latest release that starts on or before it (a DOS before every release uses the earliest, whose
/// dated rows still carry the history).
/// </summary>
public sealed class RuleSet
{
    internal RuleSet(CodeIndex codes, Release[] releases)
    {
        Codes = codes;
        Releases = releases;
    }

    public CodeIndex Codes { get; }

    /// <summary>Releases in ascending order of their start.</summary>
    public IReadOnlyList<Release> Releases { get; }

    public Release ReleaseFor(DateOnly dateOfService)
    {
        var releases = (Release[])Releases;
        for (var i = releases.Length - 1; i > 0; i--)
            if (releases[i].EffectiveFrom <= dateOfService) return releases[i];
        return releases[0];
    }

    public static RuleSet Build(params IEnumerable<ReleaseBuilder> releases) => RuleSetBuilder.Build(releases.ToArray());

    /// <summary>The bytes held by the index arrays (what the rule set costs in memory, strings aside).</summary>
    public long IndexBytes
    {
        get
        {
            long bytes = Codes.Count * 4L * 4; // codes + hash slots
            foreach (var r in Releases)
            {
                foreach (var p in r.PtpTables)
                    if (p is not null) bytes += p.Offsets.Length * 4L + p.Column2.Length * 7L + (p.OutSignatures.Length + p.InSignatures.Length) * 8L;
                if (r.AddOns is { } a) bytes += a.Offsets.Length * 4L + a.RowCount * 12L;
                foreach (var m in r.MueTables)
                    if (m is not null) bytes += m.Value.Length * 6L;
            }
            return bytes;
        }
    }
}
