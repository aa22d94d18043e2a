namespace CodePairs.Rules;

/// <summary>One MUE table of one release, indexed directly by code id (-1 = no published MUE).</summary>
internal sealed class MueIndex
{
    internal MueIndex(int[] value, byte[] adjudication, byte[] rationale, string[] rationales, int rowCount)
    {
        Value = value;
        Adjudication = adjudication;
        Rationale = rationale;
        Rationales = rationales;
        RowCount = rowCount;
    }

    internal int[] Value { get; }
    internal byte[] Adjudication { get; }
    internal byte[] Rationale { get; }
    internal string[] Rationales { get; }
    public int RowCount { get; }

    internal MueLimit? Find(int id, CodeIndex codes)
        => id < 0 || Value[id] < 0 ? null
            : new MueLimit(codes.CodeOf(id), Value[id], (MueAdjudication)Adjudication[id], Rationales[Rationale[id]]);
}

/// <summary>A code's published MUE in one table.</summary>
public sealed record MueLimit(HcpcsCode Code, int Value, MueAdjudication Adjudication, string Rationale);
