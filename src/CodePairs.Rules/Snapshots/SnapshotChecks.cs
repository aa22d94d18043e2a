namespace CodePairs.Rules.Snapshots;

/// <summary>Checks shared by the index sections of a snapshot: a corrupt or hostile payload never becomes an index.</summary>
internal static class SnapshotChecks
{
    /// <summary>CSR offsets over <paramref name="codes"/> code ids: codes + 1 entries, starting at 0, never decreasing.</summary>
    public static int[] Offsets(ref SnapshotReader r, int codes)
    {
        var offsets = r.Array<int>();
        if (offsets.Length != codes + 1 || offsets[0] != 0) throw r.Corrupt("offsets do not match the code list");
        for (var i = 1; i < offsets.Length; i++)
            if (offsets[i] < offsets[i - 1]) throw r.Corrupt("offsets decrease");
        return offsets;
    }

    /// <summary><paramref name="rows"/> code ids, each naming one of <paramref name="codes"/> (or "none" where allowed).</summary>
    public static ushort[] Ids(ref SnapshotReader r, int codes, int rows, bool allowNone)
    {
        var ids = r.Array<ushort>();
        if (ids.Length != rows) throw r.Corrupt($"{ids.Length} rows where the offsets say {rows}");
        foreach (var id in ids)
            if (id >= codes && !(allowNone && id == CodeIndex.None)) throw r.Corrupt($"a row names code id {id} of {codes}");
        return ids;
    }
}
