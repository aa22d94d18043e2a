using System.Text;

namespace CodePairs.Rules.Cms;

/// <summary>One thing wrong with a CMS file. <see cref="Line"/> is 1-based (0 = the file as a whole).</summary>
public sealed record CmsProblem(string File, int Line, string Reason)
{
    public override string ToString() => Line > 0 ? $"{File}, line {Line}: {Reason}" : $"{File}: {Reason}";
}

/// <summary>A CMS file was rejected as a whole: no row of it reaches a rule set. Lists the first problems found and
/// counts all of them.</summary>
public sealed class CmsFileException : Exception
{
    /// <summary>How many problems a rejection lists before it only counts.</summary>
    public const int MaxListed = 20;

    public CmsFileException(string file, IReadOnlyList<CmsProblem> problems, int totalProblems)
        : base(Describe(file, problems, totalProblems))
    {
        File = file;
        Problems = problems;
        TotalProblems = totalProblems;
    }

    public CmsFileException(string file, int line, string reason) : this(file, [new CmsProblem(file, line, reason)], 1) { }

    public string File { get; }
    public IReadOnlyList<CmsProblem> Problems { get; }
    public int TotalProblems { get; }

    /// <summary>When an import failed: what became of every file it was given (set by <see cref="CmsImport"/>).</summary>
    public ImportReport? Report { get; internal set; }

    private static string Describe(string file, IReadOnlyList<CmsProblem> problems, int total)
    {
        if (total == 1) return $"{problems[0]} (the file is rejected)";
        var sb = new StringBuilder($"{file}: {total} problems, the file is rejected");
        foreach (var p in problems) sb.Append("\n  ").Append(p);
        if (total > problems.Count) sb.Append("\n  … and ").Append(total - problems.Count).Append(" more");
        return sb.ToString();
    }
}

/// <summary>Collects problems while a file is read, so one run reports the first <see cref="CmsFileException.MaxListed"/>.</summary>
internal sealed class ProblemList(string file)
{
    private readonly List<CmsProblem> _listed = [];
    public int Count { get; private set; }
    public string File { get; } = file;

    public void Add(int line, string reason)
    {
        Count++;
        if (_listed.Count < CmsFileException.MaxListed) _listed.Add(new CmsProblem(File, line, reason));
    }

    public void ThrowIfAny()
    {
        if (Count > 0) throw new CmsFileException(File, _listed, Count);
    }
}
