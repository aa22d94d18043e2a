namespace CodePairs.Rules;

/// <summary>The 1-based line lists findings carry, shared when small: most findings name one line or a pair of
/// lines of a short claim, and a shared read-only list costs nothing per finding.</summary>
internal static class LineNumbers
{
    private const int Singles = ClaimLimits.MaxLines;
    private const int PairLimit = 16;
    private static readonly IReadOnlyList<int>[] One_ = Build(Singles + 1, k => [k]);
    private static readonly IReadOnlyList<int>[] Two_ = Build(PairLimit * PairLimit, k => [k / PairLimit, k % PairLimit]);

    private static IReadOnlyList<int>[] Build(int count, Func<int, int[]> make)
    {
        var lists = new IReadOnlyList<int>[count];
        for (var k = 0; k < count; k++) lists[k] = Array.AsReadOnly(make(k));
        return lists;
    }

    /// <summary>[number].</summary>
    public static IReadOnlyList<int> One(int number) => (uint)number <= Singles ? One_[number] : Array.AsReadOnly(new[] { number });

    /// <summary>[a, b] in that order.</summary>
    public static IReadOnlyList<int> Two(int a, int b)
        => (uint)a < PairLimit && (uint)b < PairLimit ? Two_[a * PairLimit + b] : Array.AsReadOnly(new[] { a, b });

    /// <summary>The line numbers of 0-based line indexes.</summary>
    public static IReadOnlyList<int> Of(ReadOnlySpan<int> indexes)
    {
        if (indexes.Length == 1) return One(indexes[0] + 1);
        var numbers = new int[indexes.Length];
        for (var k = 0; k < indexes.Length; k++) numbers[k] = indexes[k] + 1;
        return Array.AsReadOnly(numbers);
    }
}
