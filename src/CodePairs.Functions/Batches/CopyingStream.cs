using CodePairs.Rules;

namespace CodePairs.Functions.Batches;

/// <summary>Reads an inner stream and writes every byte read to a second stream as well (the planning pass of a gzip
/// file: the inflated bytes go to the chunk planner and to the inflated copy the chunks read).</summary>
internal sealed class CopyingStream(Stream inner, Stream copy) : ReadOnlyStream
{
    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        if (n > 0) copy.Write(buffer[..n]);
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
