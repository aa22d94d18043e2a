namespace CodePairs.Rules;

/// <summary>The compact index of one table version, over the dense code ids of the rule set that holds it. Each table
/// kind has one (<see cref="PtpIndex"/>, <see cref="AddOnIndex"/>, <see cref="MueIndex"/>) and owns its snapshot section.</summary>
internal interface ITableIndex
{
    TableKind Kind { get; }
    int RowCount { get; }
    int RowsNeverInForce { get; }

    /// <summary>Bytes held by the index arrays (what the version costs in memory, strings aside).</summary>
    long IndexBytes { get; }

    /// <summary>Marks every code id the index names.</summary>
    void MarkCodes(Span<bool> used);

    /// <summary>The same rows over another code index: <paramref name="map"/> gives each old id's new id.</summary>
    ITableIndex Remap(ReadOnlySpan<ushort> map, int codeCount);

    /// <summary>Writes the index (the kind's snapshot section).</summary>
    void Write(Snapshots.SnapshotWriter writer);
}
