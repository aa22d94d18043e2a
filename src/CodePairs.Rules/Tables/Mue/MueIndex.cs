using CodePairs.Rules.Snapshots;

namespace CodePairs.Rules;

/// <summary>One MUE table version, indexed directly by code id (-1 = no published MUE).</summary>
internal sealed class MueIndex : ITableIndex
{
    internal MueIndex(int[] value, byte[] adjudication, byte[] rationale, string[] rationales, int rowCount)
    {
        Value = value;
        Adjudication = adjudication;
        Rationale = rationale;
        Rationales = rationales;
        RowCount = rowCount;
    }

    public TableKind Kind => TableKind.Mue;

    internal int[] Value { get; }
    internal byte[] Adjudication { get; }
    internal byte[] Rationale { get; }
    internal string[] Rationales { get; }
    public int RowCount { get; }
    public int RowsNeverInForce => 0;
    public long IndexBytes => Value.Length * 6L;

    /// <summary>What a finding cites of the code's MUE (the code's text given, so nothing is formatted here).</summary>
    internal MueDetail Detail(int id, string code, int unitsBilled)
    {
        var mai = (MueAdjudication)Adjudication[id];
        return new MueDetail(code, Value[id], (int)mai, mai.Text(), Rationales[Rationale[id]], unitsBilled);
    }

    internal MueLimit? Find(int id, CodeIndex codes)
        => id < 0 || Value[id] < 0 ? null
            : new MueLimit(codes.CodeOf(id), Value[id], (MueAdjudication)Adjudication[id], Rationales[Rationale[id]]);

    public void MarkCodes(Span<bool> used)
    {
        for (var id = 0; id < Value.Length; id++) if (Value[id] >= 0) used[id] = true;
    }

    public ITableIndex Remap(ReadOnlySpan<ushort> map, int codeCount)
    {
        var value = new int[codeCount];
        Array.Fill(value, -1);
        var adjudication = new byte[codeCount];
        var rationale = new byte[codeCount];
        for (var i = 0; i < map.Length; i++)
        {
            if (Value[i] < 0) continue;
            value[map[i]] = Value[i];
            adjudication[map[i]] = Adjudication[i];
            rationale[map[i]] = Rationale[i];
        }
        return new MueIndex(value, adjudication, rationale, Rationales, RowCount);
    }

    public void Write(SnapshotWriter w)
    {
        w.Array<int>(Value);
        w.Array<byte>(Adjudication);
        w.Array<byte>(Rationale);
        w.Strings(Rationales);
        w.Int(RowCount);
    }

    internal static MueIndex Read(ref SnapshotReader r, int codes)
    {
        var value = r.Array<int>(codes);
        var adjudication = r.Array<byte>(codes);
        var rationale = r.Array<byte>(codes);
        var rationales = r.Strings(MueRows.MaxRationales);
        var rows = 0;
        for (var i = 0; i < codes; i++)
        {
            if (value[i] < 0) continue;
            rows++;
            if (rationale[i] >= rationales.Length) throw r.Corrupt("an MUE names a missing rationale");
            if (adjudication[i] is < 1 or > 3) throw r.Corrupt($"an MUE has adjudication indicator {adjudication[i]}");
        }
        var count = r.Int();
        if (count != rows) throw r.Corrupt($"the MUE section says {count} rows and holds {rows}");
        return new MueIndex(value, adjudication, rationale, rationales, count);
    }
}

/// <summary>A code's published MUE in one table.</summary>
public sealed record MueLimit(HcpcsCode Code, int Value, MueAdjudication Adjudication, string Rationale);
