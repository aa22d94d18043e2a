namespace CodePairs.Rules;

/// <summary>
/// Read-only export of a release's rows, code by code, in the engine's own order (a PTP column-1 code's rows sorted by
/// column-2 code, a pair's rows in file order; an add-on code's rows in file order). Storage adapters use it to persist a
/// release and tests use it to compare what was stored with what the engine holds. Pure and additive.
/// </summary>
public static class ReleaseExport
{
    /// <summary>The column-1 codes that have rows in a PTP table of the release, ascending; empty when the table is absent.</summary>
    public static IEnumerable<HcpcsCode> PtpColumn1Codes(this Release release, PtpTable table, CodeIndex codes)
    {
        if (release.Ptp(table) is not { } index) yield break;
        for (var id = 0; id < codes.Count; id++)
            if (index.Offsets[id + 1] > index.Offsets[id]) yield return codes.CodeOf(id);
    }

    /// <summary>Every row of a PTP table whose column 1 is <paramref name="column1"/>.</summary>
    public static IReadOnlyList<PtpEdit> PtpEdits(this Release release, PtpTable table, CodeIndex codes, HcpcsCode column1)
    {
        var id = codes.Find(column1);
        if (release.Ptp(table) is not { } index || id < 0) return [];
        var rows = new PtpEdit[index.Offsets[id + 1] - index.Offsets[id]];
        for (var k = 0; k < rows.Length; k++) rows[k] = index.Row(index.Offsets[id] + k, codes, id);
        return rows;
    }

    /// <summary>The add-on codes that have rows in the release's AOC table, ascending.</summary>
    public static IEnumerable<HcpcsCode> AddOnCodes(this Release release, CodeIndex codes)
    {
        if (release.AddOns is not { } index) yield break;
        for (var id = 0; id < codes.Count; id++)
            if (index.Offsets[id + 1] > index.Offsets[id]) yield return codes.CodeOf(id);
    }

    /// <summary>Every AOC row of an add-on code.</summary>
    public static IReadOnlyList<AddOnEdit> AddOnEdits(this Release release, CodeIndex codes, HcpcsCode addOn)
    {
        var id = codes.Find(addOn);
        if (release.AddOns is not { } index || id < 0) return [];
        var (start, end) = index.Rows(id);
        var rows = new AddOnEdit[end - start];
        for (var k = 0; k < rows.Length; k++) rows[k] = index.Row(start + k, codes, id);
        return rows;
    }

    /// <summary>Every published MUE of a table, ascending by code.</summary>
    public static IEnumerable<MueLimit> MueLimits(this Release release, MueTable table, CodeIndex codes)
    {
        if (release.Mue(table) is not { } index) yield break;
        for (var id = 0; id < codes.Count; id++)
            if (index.Find(id, codes) is { } limit) yield return limit;
    }

    /// <summary>A code's published MUE in a table, or null ("no published MUE", or the table is absent).</summary>
    public static MueLimit? MueLimitOf(this Release release, MueTable table, CodeIndex codes, HcpcsCode code)
        => release.Mue(table)?.Find(codes.Find(code), codes);

    /// <summary>The code whose <see cref="HcpcsCode.Packed"/> value is <paramref name="packed"/> (for stored packed codes).</summary>
    /// <exception cref="FormatException">The value is not a packed 5-character code.</exception>
    public static HcpcsCode CodeFromPacked(int packed)
    {
        const int limit = 36 * 36 * 36 * 36 * 36;
        if (packed is <= 0 or >= limit) throw new FormatException($"{packed} is not a packed CPT/HCPCS code");
        var code = HcpcsCode.FromPacked(packed);
        // Round-trip through the strict parser so a corrupt value never becomes a code the engine would not accept.
        return HcpcsCode.TryParse(code.ToString(), out var parsed) && parsed == code
            ? code
            : throw new FormatException($"{packed} is not a packed CPT/HCPCS code");
    }
}
