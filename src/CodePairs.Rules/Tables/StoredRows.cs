namespace CodePairs.Rules;

/// <summary>One entity's worth of a table version's rows in the rule store: the rows of one code (PTP column 1, AOC
/// add-on code) or of one 3-character code prefix (MUE), packed little-endian.</summary>
public sealed record StoredGroup(string Key, int Rows, byte[] Data);

/// <summary>A table version as the rule store keeps it: its groups and the vocabulary they index (rationales, notes).</summary>
public sealed record StoredTable(TableId Table, IReadOnlyList<StoredGroup> Groups, IReadOnlyList<string> Rationales, IReadOnlyList<string> Notes, long Rows);

/// <summary>One code's rows read back from the rule store. Exactly one list is filled, by the table's kind.</summary>
public sealed record StoredCodeRules(TableId Table, HcpcsCode Code, IReadOnlyList<PtpEdit> Ptp, IReadOnlyList<AddOnEdit> AddOns, MueLimit? Mue)
{
    public int Rows => Ptp.Count + AddOns.Count + (Mue is null ? 0 : 1);
}

/// <summary>
/// The rule store's layout of each table kind (the storage adapter maps groups to entities and knows nothing of kinds):
/// <list type="bullet">
/// <item>PTP: a group per column-1 code; 9-byte rows: column-2 packed code i32, effective u16, deletion u16 (NcciDate
/// days, 0xFFFF = none), <see cref="PtpMeta"/> byte.</item>
/// <item>AOC: a group per add-on code; 15-byte rows: primary packed code i32 (0 = CCCCC), type byte, add-on deletion u16,
/// primary deletion u16, edit effective u16, edit deletion u16, note index u16 (0xFFFF = none).</item>
/// <item>MUE: a group per 3-character prefix; 10-byte rows: packed code i32, value i32, adjudication byte, rationale byte.</item>
/// </list>
/// Codes are stored packed, never as rule-set ids, so a stored version does not depend on the rule set it came from.
/// </summary>
public static class StoredRows
{
    /// <summary>PTP and AOC groups are keyed by code (their partitions by its first 3 characters); MUE groups by prefix.</summary>
    public static bool GroupedByCode(TableKind kind) => kind != TableKind.Mue;

    public static int RowBytes(TableKind kind) => kind switch { TableKind.Ptp => PtpStoredRows.RowBytes, TableKind.AddOn => AddOnStoredRows.RowBytes, _ => MueStoredRows.RowBytes };

    /// <summary>The group a code's rows live in.</summary>
    public static string GroupKey(TableKind kind, HcpcsCode code) => GroupedByCode(kind) ? code.ToString() : Prefix(code);

    public static string Prefix(HcpcsCode code) => code.ToString()[..3];

    public static StoredTable Encode(TableVersion version) => version.Kind switch
    {
        TableKind.Ptp => PtpStoredRows.Encode(version),
        TableKind.AddOn => AddOnStoredRows.Encode(version),
        _ => MueStoredRows.Encode(version),
    };

    /// <summary>Decodes one group for <paramref name="code"/>; null when the group holds nothing for it.</summary>
    /// <exception cref="FormatException">The bytes are not rows of this kind.</exception>
    public static StoredCodeRules? Decode(TableId table, HcpcsCode code, StoredGroup group, IReadOnlyList<string> rationales, IReadOnlyList<string> notes)
    {
        if (group.Data.Length != group.Rows * RowBytes(table.Kind()))
            throw new FormatException($"{table.Name()} group {group.Key} holds {group.Data.Length} bytes for {group.Rows} rows");
        return table.Kind() switch
        {
            TableKind.Ptp => new StoredCodeRules(table, code, PtpStoredRows.Decode(code, group, rationales), [], null),
            TableKind.AddOn => new StoredCodeRules(table, code, [], AddOnStoredRows.Decode(code, group, notes), null),
            _ => MueStoredRows.Decode(code, group, rationales) is { } limit ? new StoredCodeRules(table, code, [], [], limit) : null,
        };
    }

    internal static string Word(IReadOnlyList<string> words, int index, string what)
        => index < words.Count ? words[index] : throw new FormatException($"a stored row names {what} {index} of {words.Count}");

    /// <summary>Gives each distinct text an index, in first-seen order.</summary>
    internal sealed class Vocabulary
    {
        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
        public List<string> Words { get; } = [];

        public int IndexOf(string word)
        {
            if (!_index.TryGetValue(word, out var i))
            {
                _index.Add(word, i = Words.Count);
                Words.Add(word);
            }
            return i;
        }
    }
}
