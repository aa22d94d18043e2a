using CodePairs.Rules;

namespace CodePairs.Functions.Batches;

/// <summary>Reads at most <c>length</c> bytes of an inner stream (one chunk's byte range).</summary>
internal sealed class BoundedStream(Stream inner, long length) : ReadOnlyStream
{
    private long _left = length;

    public override int Read(Span<byte> buffer)
    {
        if (_left <= 0) return 0;
        var n = inner.Read(buffer[..(int)Math.Min(buffer.Length, _left)]);
        _left -= n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

}
