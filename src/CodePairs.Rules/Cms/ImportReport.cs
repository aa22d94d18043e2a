using System.Text.Json.Serialization;

namespace CodePairs.Rules.Cms;

/// <summary>What became of one file of a drop.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FileOutcome>))]
public enum FileOutcome
{
    /// <summary>Read into a table version.</summary>
    [JsonStringEnumMemberName("loaded")] Loaded,
    /// <summary>A zip archive: its entries are listed on their own lines.</summary>
    [JsonStringEnumMemberName("unpacked")] Unpacked,
    /// <summary>A CMS file deliberately not read: a quarterly delta, or a copy CMS ships beside the table's main file.</summary>
    [JsonStringEnumMemberName("not-loaded")] NotLoaded,
    /// <summary>Not a CMS NCCI table (by name and by content).</summary>
    [JsonStringEnumMemberName("ignored")] Ignored,
    /// <summary>Named or shaped like a CMS table but could not be read: the drop fails.</summary>
    [JsonStringEnumMemberName("failed")] Failed,
}

/// <summary>One file (or zip entry, as <c>zip/entry</c>) of a drop and what became of it.</summary>
public sealed record ImportedFile(string File, FileOutcome Outcome, string Detail, TableId? Table = null, string? Version = null, int? Rows = null)
{
    public override string ToString() => Outcome switch
    {
        FileOutcome.Loaded => $"{File}: loaded into {Table?.Name()} {Version} ({Rows:N0} rows){(Detail.Length > 0 ? "; " + Detail : "")}",
        _ => $"{File}: {Outcome switch { FileOutcome.Unpacked => "unpacked", FileOutcome.NotLoaded => "not loaded", FileOutcome.Ignored => "ignored", _ => "FAILED" }}: {Detail}",
    };
}

/// <summary>One table version a drop loaded.</summary>
public sealed record ImportedTable(TableId Table, string Version, DateOnly EffectiveFrom, int Rows, int RowsNeverInForce, int Files, TimeSpan Elapsed)
{
    public override string ToString()
        => $"{Table.Name()} {Version} from {EffectiveFrom:yyyy-MM-dd}: {Rows:N0} rows from {Files} file(s)" +
           (RowsNeverInForce > 0 ? $" ({RowsNeverInForce:N0} never in force: deletion date before effective date)" : "");
}

/// <summary>Every file of a drop with what became of it, and the table versions it loaded: "nothing found" and "nothing
/// read" never look alike.</summary>
public sealed record ImportReport(IReadOnlyList<ImportedFile> Files, IReadOnlyList<ImportedTable> Tables)
{
    public IEnumerable<ImportedFile> Failed => Files.Where(f => f.Outcome == FileOutcome.Failed);

    public IEnumerable<string> Lines()
    {
        foreach (var t in Tables) yield return t.ToString();
        foreach (var f in Files) yield return f.ToString();
    }

    public override string ToString() => string.Join('\n', Lines());
}
