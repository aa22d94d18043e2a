using CodePairs.Rules.X12;

namespace CodePairs.Rules.Batch;

/// <summary>
/// Reading one slice of a larger file (a chunk): the slice starts at file line <see cref="FirstLineNumber"/> and, for a
/// CSV slice that does not hold the header, <see cref="CsvWidth"/> says how many columns the header declared (8 or 9).
/// </summary>
public sealed record BatchSlice(int FirstLineNumber, int? CsvWidth)
{
    /// <summary>837: where the slice starts inside the envelopes (null for the file's first chunk).</summary>
    public X12Resume? X12Start { get; init; }

    /// <summary>False for every chunk but the last: its end is a claim boundary, not the end of the file.</summary>
    public bool EndsFile { get; init; } = true;
}
