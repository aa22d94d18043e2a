namespace CodePairs.Rules;

/// <summary>
/// Read-only export of a table version's rows, code by code, in the engine's own order (a PTP column-1 code's rows
/// sorted by column-2 code, a pair's rows in file order; an add-on code's rows in file order; MUE by code). Storage
/// adapters use it to persist a version, the change report to compare two, and tests to compare what was stored with
/// what the engine holds.
/// </summary>
public static class TableExport
{
    /// <summary>The column-1 codes that have rows in a PTP version, ascending.</summary>
    public static IEnumerable<HcpcsCode> PtpColumn1Codes(this TableVersion version)
    {
        var index = (PtpIndex)Require(version, TableKind.Ptp);
        for (var id = 0; id < version.Codes.Count; id++)
            if (index.Offsets[id + 1] > index.Offsets[id]) yield return version.Codes.CodeOf(id);
    }

    /// <summary>Every row of a PTP version whose column 1 is <paramref name="column1"/>.</summary>
    public static IReadOnlyList<PtpEdit> PtpEdits(this TableVersion version, HcpcsCode column1)
    {
        var index = (PtpIndex)Require(version, TableKind.Ptp);
        var id = version.Codes.Find(column1);
        if (id < 0) return [];
        var rows = new PtpEdit[index.Offsets[id + 1] - index.Offsets[id]];
        for (var k = 0; k < rows.Length; k++) rows[k] = index.Row(index.Offsets[id] + k, version.Codes, id);
        return rows;
    }

    /// <summary>The add-on codes that have rows in an AOC version, ascending.</summary>
    public static IEnumerable<HcpcsCode> AddOnCodes(this TableVersion version)
    {
        var index = (AddOnIndex)Require(version, TableKind.AddOn);
        for (var id = 0; id < version.Codes.Count; id++)
            if (index.Offsets[id + 1] > index.Offsets[id]) yield return version.Codes.CodeOf(id);
    }

    /// <summary>Every AOC row of an add-on code.</summary>
    public static IReadOnlyList<AddOnEdit> AddOnEdits(this TableVersion version, HcpcsCode addOn)
    {
        var index = (AddOnIndex)Require(version, TableKind.AddOn);
        var id = version.Codes.Find(addOn);
        if (id < 0) return [];
        var (start, end) = index.Rows(id);
        var rows = new AddOnEdit[end - start];
        for (var k = 0; k < rows.Length; k++) rows[k] = index.Row(start + k, version.Codes, id);
        return rows;
    }

    /// <summary>Every published MUE of an MUE version, ascending by code.</summary>
    public static IEnumerable<MueLimit> MueLimits(this TableVersion version)
    {
        var index = (MueIndex)Require(version, TableKind.Mue);
        for (var id = 0; id < version.Codes.Count; id++)
            if (index.Find(id, version.Codes) is { } limit) yield return limit;
    }

    /// <summary>A code's published MUE in an MUE version, or null ("no published MUE").</summary>
    public static MueLimit? MueLimitOf(this TableVersion version, HcpcsCode code)
        => ((MueIndex)Require(version, TableKind.Mue)).Find(version.Codes.Find(code), version.Codes);

    private static ITableIndex Require(TableVersion version, TableKind kind)
        => version.Kind == kind ? version.Index : throw new ArgumentException($"{version.Table.Name()} is not a {kind} table");
}
