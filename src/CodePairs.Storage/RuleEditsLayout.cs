using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using CodePairs.Rules;

namespace CodePairs.Storage;

/// <summary>
/// How table versions sit in the <c>RuleEdits</c> table. Each <see cref="StoredGroup"/> (the kind's layout:
/// <see cref="StoredRows"/>) is one entity with its rows packed into binary properties <c>D0</c>, <c>D1</c>, … (each
/// ≤ 64 KiB, cut on row boundaries) and the row count in <c>N</c>:
/// PTP and AOC groups (one per code) in PartitionKey <c>{key}_{table}_{first 3 chars}</c> with RowKey = code; MUE groups
/// (one per 3-character prefix) in PartitionKey <c>{key}_{table}</c> with RowKey = prefix. Each version also has a
/// vocabulary entity (PartitionKey <c>{key}_{table}</c>, RowKey <c>~vocab</c>) with the rationales (JSON <c>R</c>), the
/// AOC notes (JSON <c>T</c>) and the version's row count (<c>N</c>). The key is the table version's own
/// (<see cref="TableVersion.Key"/>), so versions of a table never share a partition.
/// </summary>
public static partial class RuleEditsLayout
{
    public const string VocabularyRowKey = "~vocab";
    public const int FormatVersion = 2;

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex KeyShape();

    [GeneratedRegex("^rs-[0-9a-f]{12}$")]
    private static partial Regex RuleSetIdShape();

    /// <summary>Table version keys become key prefixes: lower-case letters, digits and single hyphens, at most 64.</summary>
    public static bool IsVersionKey(string? key) => key is { Length: > 0 and <= 64 } && KeyShape().IsMatch(key);

    public static string ValidateVersionKey(string key)
        => IsVersionKey(key) ? key : throw new ArgumentException($"table version key '{Clip(key)}' must be 1-64 lower-case letters, digits and single hyphens", nameof(key));

    /// <summary>Rule set ids: <c>rs-</c> and 12 hex digits (<see cref="RuleSetIds"/>).</summary>
    public static bool IsRuleSetId(string? id) => id is { Length: 15 } && RuleSetIdShape().IsMatch(id);

    public static string ValidateRuleSetId(string id)
        => IsRuleSetId(id) ? id : throw new ArgumentException($"rule set id '{Clip(id)}' is not of the form rs-<12 hex digits>", nameof(id));

    private static string Clip(string? s) => s is null ? "" : s.Length > 40 ? s[..40] + "…" : s;

    public static string TablePartition(TableId table, string key) => $"{ValidateVersionKey(key)}_{table.Name()}";

    public static string GroupPartition(TableId table, string key, string groupKey)
        => StoredRows.GroupedByCode(table.Kind()) ? $"{TablePartition(table, key)}_{groupKey[..3]}" : TablePartition(table, key);

    /// <summary>The entities of a stored table version: one per group, then its vocabulary entity.</summary>
    public static IEnumerable<TableEntity> Entities(StoredTable stored, string key)
    {
        var rowBytes = StoredRows.RowBytes(stored.Table.Kind());
        foreach (var g in stored.Groups)
        {
            var entity = new TableEntity(GroupPartition(stored.Table, key, g.Key), g.Key) { ["N"] = g.Rows };
            foreach (var (name, chunk) in TableBatchPlanner.SplitIntoProperties(g.Data, "D", rowBytes)) entity[name] = chunk;
            yield return entity;
        }
        yield return new TableEntity(TablePartition(stored.Table, key), VocabularyRowKey)
        {
            ["R"] = JsonSerializer.Serialize(stored.Rationales),
            ["T"] = JsonSerializer.Serialize(stored.Notes),
            ["N"] = stored.Rows,
            ["F"] = FormatVersion,
        };
    }

    public static StoredGroup ReadGroup(TableEntity entity)
    {
        var parts = new List<byte[]>();
        for (var i = 0; entity.TryGetValue($"D{i}", out var value) && value is not null; i++)
            parts.Add(value switch
            {
                byte[] b => b,
                BinaryData d => d.ToArray(),
                _ => throw new InvalidDataException($"entity ({entity.PartitionKey}, {entity.RowKey}): D{i} is not binary"),
            });
        var data = new byte[parts.Sum(p => p.Length)];
        var offset = 0;
        foreach (var p in parts) { p.CopyTo(data, offset); offset += p.Length; }
        var n = entity.GetInt32("N") ?? throw new InvalidDataException($"entity ({entity.PartitionKey}, {entity.RowKey}) has no row count N");
        return new StoredGroup(entity.RowKey, n, data);
    }

    public static (IReadOnlyList<string> Rationales, IReadOnlyList<string> Notes) ReadVocabulary(TableEntity entity)
        => (JsonSerializer.Deserialize<string[]>(entity.GetString("R") ?? "[]") ?? [],
            JsonSerializer.Deserialize<string[]>(entity.GetString("T") ?? "[]") ?? []);

    /// <summary>The row count an entity holds (0 for the vocabulary entity).</summary>
    public static long RowCount(TableEntity entity) => entity.RowKey == VocabularyRowKey ? 0 : entity.GetInt32("N") ?? 0;
}

/// <summary>Rule set ids come from their content: the same table versions always give the same id, so a rerun of a
/// publish after a crash composes the same rule set rather than a second one.</summary>
public static class RuleSetIds
{
    public static string For(IEnumerable<TableRef> tables)
    {
        var text = string.Join('\n', tables.Select(t => $"{t.Table.Name()}:{t.Key}").Order(StringComparer.Ordinal));
        return "rs-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..12];
    }
}
