using System.Buffers;
using Azure.Storage.Blobs.Specialized;

namespace CodePairs.Functions.Batches;

/// <summary>
/// A write-only stream that stages everything written to it as blocks of exactly <c>partBytes</c> (the last one
/// shorter) on a block blob, with the deterministic ids <see cref="BatchNames.BlockId"/>(chunk, part). Nothing is
/// committed here: a rerun stages the same bytes under the same ids, and the block list is committed once, at the
/// end. Memory: one part buffer. Staging is synchronous because the engine writes through a synchronous TextWriter.
/// </summary>
internal sealed class StagedBlocks(BlockBlobClient blob, int chunk, int partBytes, CancellationToken cancellationToken) : Stream
{
    private byte[]? _buffer = ArrayPool<byte>.Shared.Rent(partBytes);
    private int _filled;

    /// <summary>Parts staged so far (after <see cref="Stream.Dispose()"/>: all of them).</summary>
    public int Parts { get; private set; }

    /// <summary>Called after each part is staged (tests use it to stop a run midway).</summary>
    internal Action<int>? AfterStage { get; init; }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> data)
    {
        var buffer = _buffer ?? throw new ObjectDisposedException(nameof(StagedBlocks));
        while (data.Length > 0)
        {
            var n = Math.Min(partBytes - _filled, data.Length);
            data[..n].CopyTo(buffer.AsSpan(_filled));
            _filled += n;
            data = data[n..];
            if (_filled == partBytes) Stage();
        }
    }

    private void Stage()
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var content = new MemoryStream(_buffer!, 0, _filled, writable: false);
        blob.StageBlock(BatchNames.BlockId(chunk, Parts), content, cancellationToken: cancellationToken);
        _filled = 0;
        Parts++;
        AfterStage?.Invoke(Parts);
    }

    /// <summary>Stages the last, partial part. Call before disposing; a disposed-on-error stream stages nothing more.</summary>
    public void Complete()
    {
        if (_filled > 0) Stage();
    }

    protected override void Dispose(bool disposing)
    {
        if (_buffer is { } b) ArrayPool<byte>.Shared.Return(b);
        _buffer = null;
        base.Dispose(disposing);
    }

    public override void Flush() { }
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}

/// <summary>Reads at most <c>length</c> bytes of an inner stream (one chunk's byte range).</summary>
internal sealed class BoundedStream(Stream inner, long length) : Stream
{
    private long _left = length;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

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

    public override void Flush() { }
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
