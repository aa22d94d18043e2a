namespace CodePairs.Rules;

/// <summary>Where a rule came from: a version of a CMS table, or a custom rule pack.</summary>
/// <param name="Table">ptp-practitioner, ptp-hospital, aoc, mue-practitioner, mue-hospital, mue-dme, or pack.</param>
/// <param name="Version">The table's CMS version (v322r0, AOC_V2026Q2, 2026-10-01), or the pack's version.</param>
/// <param name="EffectiveFrom">The first day the table version (or pack) is in force.</param>
/// <param name="Pack">The pack's name, for pack rules.</param>
public sealed record RuleSource(string Table, string Version, DateOnly? EffectiveFrom = null, string? Pack = null)
{
    public override string ToString() => Pack is null ? $"{Table} {Version}" : $"pack {Pack} {Version}";
}
