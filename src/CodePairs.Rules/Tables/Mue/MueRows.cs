namespace CodePairs.Rules;

/// <summary>The rows of one MUE table version as they are read; a code appears at most once.</summary>
public sealed class MueRows
{
    /// <summary>How many distinct rationales one table version can name (one byte per code).</summary>
    public const int MaxRationales = 255;

    internal readonly Dictionary<int, MueRow> Rows = [];
    private readonly HashSet<string> _rationales = new(StringComparer.Ordinal);

    internal MueRows(TableId table)
    {
        if (table.Kind() != TableKind.Mue) throw new ArgumentException($"{table.Name()} is not an MUE table", nameof(table));
        Table = table;
    }

    public TableId Table { get; }
    public int Count => Rows.Count;

    public void Add(in MueRow row)
    {
        if (row.Code.IsEmpty) throw new ArgumentException("an MUE row needs a code");
        if (row.Value < 0) throw new ArgumentException($"MUE {row.Code}: value must not be negative");
        if (row.Adjudication is not (MueAdjudication.Line or MueAdjudication.DateOfServicePolicy or MueAdjudication.DateOfServiceClinical))
            throw new ArgumentException($"MUE {row.Code}: adjudication indicator must be 1, 2 or 3");
        if (!_rationales.Contains(row.Rationale) && _rationales.Count >= MaxRationales)
            throw new ArgumentException($"the {Table.Name()} table may use at most {MaxRationales} distinct rationales");
        if (!Rows.TryAdd(row.Code.Packed, row))
            throw new ArgumentException($"MUE {row.Code} appears twice in the {Table.Name()} table");
        _rationales.Add(row.Rationale);
    }

    public void AddRange(IEnumerable<MueRow> rows)
    {
        foreach (var row in rows) Add(row);
    }

    internal void MarkCodes(HashSet<int> packed) => packed.UnionWith(Rows.Keys);

    internal MueIndex Build(CodeIndex codes)
    {
        var value = new int[codes.Count];
        Array.Fill(value, -1);
        var adjudication = new byte[codes.Count];
        var rationale = new byte[codes.Count];
        var vocabulary = new Dictionary<string, byte>(StringComparer.Ordinal);
        foreach (var row in Rows.Values.OrderBy(r => r.Code.Packed))
        {
            var id = codes.Find(row.Code);
            value[id] = row.Value;
            adjudication[id] = (byte)row.Adjudication;
            if (!vocabulary.TryGetValue(row.Rationale, out var r))
            {
                r = (byte)vocabulary.Count;
                vocabulary.Add(row.Rationale, r);
            }
            rationale[id] = r;
        }
        var rationales = new string[vocabulary.Count];
        foreach (var (text, index) in vocabulary) rationales[index] = text;
        return new MueIndex(value, adjudication, rationale, rationales, Rows.Count);
    }
}
