using CodePairs.Rules.Snapshots;

namespace CodePairs.Rules;

/// <summary>What differs between the table kinds where the rest of the engine must ask: whether a version's rows carry
/// their own dates, and how a snapshot section is read back. Each kind's types live in its own folder
/// (<c>Tables/Ptp</c>, <c>Tables/AddOn</c>, <c>Tables/Mue</c>).</summary>
internal static class TableKinds
{
    /// <summary>PTP and AOC rows carry effective and deletion dates and CMS keeps deleted rows in every file, so a version
    /// also answers dates before it starts; MUE rows carry no dates, so an MUE version answers only from its start.</summary>
    public static bool RowsCarryDates(TableKind kind) => kind != TableKind.Mue;

    public static ITableIndex ReadIndex(TableKind kind, ref SnapshotReader reader, int codes) => kind switch
    {
        TableKind.Ptp => PtpIndex.Read(ref reader, codes),
        TableKind.AddOn => AddOnIndex.Read(ref reader, codes),
        _ => MueIndex.Read(ref reader, codes),
    };
}
