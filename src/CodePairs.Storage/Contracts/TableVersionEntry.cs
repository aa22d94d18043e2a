using CodePairs.Rules;

namespace CodePairs.Storage;

/// <summary>One version of one table in the catalogue: what it is, where it came from (files and SHA-256s), its rows,
/// its snapshot and its state.</summary>
public sealed record TableVersionEntry(TableId Table, string Key, string Version, DateOnly EffectiveFrom, int Rows, int RowsNeverInForce,
    IReadOnlyList<TableSource> Sources, VersionStatus Status, string? SnapshotSha256, DateTimeOffset CreatedAt, string? LastError = null)
{
    public TableRef Ref => new(Table, Key, Version, EffectiveFrom);
}
