using CodePairs.Rules.Cms;

namespace CodePairs.Storage;

/// <summary>What happened to one candidate drop: <c>activated</c> (a new rule set serves), <c>unchanged</c> (every table
/// version it holds is already in force), <c>skipped</c> (these files were handled before), <c>verified</c> (loaded,
/// not activated), or <c>failed</c> (with the error) — and what became of every file.</summary>
public sealed record CandidateOutcome(string Candidate, string? RuleSetId, CandidateResult Result, string Detail)
{
    /// <summary>Every file of the drop with what became of it (table + version + rows, or why it was not read).</summary>
    public IReadOnlyList<ImportedFile> Files { get; init; } = [];

    /// <summary>The table versions the drop loaded.</summary>
    public IReadOnlyList<ImportedTable> Tables { get; init; } = [];
}
