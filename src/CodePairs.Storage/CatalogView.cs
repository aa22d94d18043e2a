using CodePairs.Rules;

namespace CodePairs.Storage;

/// <summary>One table version as the catalogue shows it.</summary>
public sealed record VersionView(string Key, string Version, DateOnly EffectiveFrom, int Rows, int RowsNeverInForce, VersionStatus Status,
    bool InActiveRuleSet, IReadOnlyList<TableSource> Sources, string? SnapshotSha256, DateTimeOffset CreatedAt, string? LastError);

/// <summary>One table: every version held, and the one in force on the day asked about (null: none is, e.g. an MUE
/// table before its first version, or a table never loaded).</summary>
public sealed record TableView(TableId Table, TableRef? InForce, IReadOnlyList<VersionView> Versions);

/// <summary>The catalogue on a day: per table the versions held and the one in force, the rule sets and the active one.</summary>
public sealed record CatalogView(string? Active, DateOnly Date, IReadOnlyList<TableView> Tables, IReadOnlyList<RuleSetEntry> RuleSets);

public static class CatalogViews
{
    /// <summary>The catalogue as an operator reads it, with "in force" by the engine's own rule (<see cref="Rules.Tables.InForce"/>).</summary>
    public static async Task<CatalogView> BuildAsync(IRuleCatalog catalog, DateOnly date, CancellationToken ct)
    {
        var pointer = await catalog.GetActiveAsync(ct).ConfigureAwait(false);
        var sets = await catalog.ListRuleSetsAsync(ct).ConfigureAwait(false);
        var versions = await catalog.ListVersionsAsync(ct).ConfigureAwait(false);
        var active = sets.FirstOrDefault(s => s.Id == pointer?.RuleSetId);
        var inActive = active?.Tables.Select(t => (t.Table, t.Key)).ToHashSet() ?? [];
        var tables = Rules.Tables.All.Select(table => new TableView(table,
                table.InForce(active?.Tables.Where(t => t.Table == table) ?? [], date, t => t.EffectiveFrom),
                versions.Where(v => v.Table == table).OrderByDescending(v => v.EffectiveFrom).ThenByDescending(v => v.CreatedAt)
                    .Select(v => new VersionView(v.Key, v.Version, v.EffectiveFrom, v.Rows, v.RowsNeverInForce, v.Status, inActive.Contains((v.Table, v.Key)),
                        v.Sources, v.SnapshotSha256, v.CreatedAt, v.LastError)).ToArray()))
            .ToArray();
        return new CatalogView(pointer?.RuleSetId, date, tables, sets.OrderByDescending(s => s.CreatedAt).ToArray());
    }
}
