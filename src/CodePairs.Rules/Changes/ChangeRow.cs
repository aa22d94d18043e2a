namespace CodePairs.Rules;

/// <summary>A row's attributes as a change shows them (only those of its table's kind are set).</summary>
public sealed record ChangeRow
{
    public DateOnly? Effective { get; init; }
    public DateOnly? Deletion { get; init; }
    public int? ModifierIndicator { get; init; }
    public bool? PriorTo1996 { get; init; }
    public string? Rationale { get; init; }
    public int? Type { get; init; }
    public DateOnly? AddOnDeletion { get; init; }
    public DateOnly? PrimaryDeletion { get; init; }
    public string? Notes { get; init; }
    public int? Value { get; init; }
    public int? AdjudicationIndicator { get; init; }
}
