namespace CodePairs.Rules;

/// <summary>A read-only list computed on first use (for explanation details that cost more than the check).</summary>
internal sealed class LazyList<T>(Func<IReadOnlyList<T>> factory) : IReadOnlyList<T>
{
    private IReadOnlyList<T>? _items;
    private IReadOnlyList<T> Items => _items ??= factory();
    public T this[int index] => Items[index];
    public int Count => Items.Count;
    public IEnumerator<T> GetEnumerator() => Items.GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
