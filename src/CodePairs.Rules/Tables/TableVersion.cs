using System.Security.Cryptography;

namespace CodePairs.Rules;

/// <summary>A file a table version was read from, with its SHA-256 (null when the bytes were not hashed, e.g. rows
/// built in memory).</summary>
public sealed record TableSource(string File, string? Sha256 = null);

/// <summary>
/// One version of one table: the rows CMS published for it (PTP <c>v322r0</c>, AOC <c>AOC_V2026Q2</c>, MUE
/// <c>2026-10-01</c>), the first day it is in force and the files it came from. A rule set holds several versions of
/// each table; for a date of service the version in force is the latest one effective on or before it. Immutable; its
/// index is bound to the code index of the rule set that holds it.
/// </summary>
public sealed class TableVersion
{
    private string? _contentHash;

    internal TableVersion(TableId table, string version, DateOnly effectiveFrom, IReadOnlyList<TableSource> sources,
        ITableIndex index, CodeIndex codes, string? contentHash = null)
    {
        if (string.IsNullOrWhiteSpace(version)) throw new ArgumentException("a table version needs a version", nameof(version));
        if (index.Kind != table.Kind()) throw new ArgumentException($"a {index.Kind} index cannot hold the {table.Name()} table");
        Table = table;
        Version = version;
        EffectiveFrom = effectiveFrom;
        Sources = sources;
        Index = index;
        Codes = codes;
        _contentHash = contentHash;
        Source = new RuleSource(table.Name(), version, effectiveFrom);
    }

    public TableId Table { get; }
    public TableKind Kind => Table.Kind();

    /// <summary>The CMS version: the PTP release (<c>v322r0</c>), the AOC file stem, or the MUE effective date.</summary>
    public string Version { get; }

    /// <summary>The first day this version is in force (PTP: its quarter; AOC and MUE: from the file names).</summary>
    public DateOnly EffectiveFrom { get; }

    public IReadOnlyList<TableSource> Sources { get; }

    public int Rows => Index.RowCount;

    /// <summary>Rows that can never be in force (a deletion date before the effective date): CMS data, kept and counted.</summary>
    public int RowsNeverInForce => Index.RowsNeverInForce;

    /// <summary>What findings cite for this version.</summary>
    public RuleSource Source { get; }

    internal ITableIndex Index { get; }
    internal string? ContentHashIfKnown => _contentHash;
    internal CodeIndex Codes { get; }

    /// <summary>A hash of the rows alone (not of the file names or the rule set around them): the same rows always give
    /// the same hash, so a table version loaded twice is recognised as one.</summary>
    public string ContentHash => _contentHash ??= ComputeContentHash();

    /// <summary>The version's storage key: its version as lower-case letters, digits and hyphens, then the first 8 hex
    /// digits of <see cref="ContentHash"/> (<c>v322r0-3f2a9c1b</c>, <c>aoc-v2026q2-1b2c3d4e</c>, <c>2026-10-01-9a8b7c6d</c>).
    /// Two different contents under one CMS version (a reissued file) get two keys.</summary>
    public string Key => KeyOf(Version, ContentHash);

    public static string KeyOf(string version, string contentHash)
    {
        var slug = new string(version.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        while (slug.Contains("--", StringComparison.Ordinal)) slug = slug.Replace("--", "-", StringComparison.Ordinal);
        if (slug.Length > 40) slug = slug[..40].TrimEnd('-');
        return $"{slug}-{contentHash[..8]}";
    }

    private string ComputeContentHash()
    {
        // The canonical form: the version alone over the codes it names, without its sources.
        using var buffer = new MemoryStream();
        Snapshots.RuleSnapshot.WriteCanonical(buffer, this);
        return Convert.ToHexStringLower(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)))[..16];
    }

    public override string ToString() => $"{Table.Name()} {Version} (from {EffectiveFrom:yyyy-MM-dd}, {Rows:N0} rows)";
}
