using System.Buffers;
using Azure.Storage.Blobs.Specialized;

namespace CodePairs.Storage.Batches;

/// <summary>
/// A write-only stream that stages everything written to it as blocks of exactly <c>partBytes</c> (the last one
/// shorter) on a block blob, with the deterministic ids <see cref="BatchBlocks.Id"/>(chunk, part). Nothing is
/// committed here: a rerun stages the same bytes under the same ids, and the block list is committed once, at the
/// end. The engine writes through a synchronous TextWriter, so a full part is staged in the background while the next
/// fills (one stage in flight): memory is two part buffers, and compute and upload overlap.
/// </summary>
public sealed class StagedBlocks(BlockBlobClient blob, int chunk, int partBytes, CancellationToken cancellationToken) : Stream
{
    private byte[]? _buffer = ArrayPool<byte>.Shared.Rent(partBytes);
    private int _filled;
    private Task? _inFlight;

    /// <summary>Parts staged so far (after <see cref="Stream.Dispose()"/>: all of them).</summary>
    public int Parts { get; private set; }

    /// <summary>Called after each part is staged (tests use it to stop a run midway).</summary>
    internal Action<int>? AfterStage { get; init; }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_buffer is null, this);
        while (data.Length > 0)
        {
            var n = Math.Min(partBytes - _filled, data.Length);
            data[..n].CopyTo(_buffer.AsSpan(_filled)); // _buffer changes at each Stage(): never cache it
            _filled += n;
            data = data[n..];
            if (_filled == partBytes) Stage();
        }
    }

    private void Stage()
    {
        cancellationToken.ThrowIfCancellationRequested();
        _inFlight?.GetAwaiter().GetResult(); // at most one stage in flight; surfaces its failure here
        _inFlight = StageAsync(_buffer!, _filled, BatchBlocks.Id(chunk, Parts));
        _buffer = ArrayPool<byte>.Shared.Rent(partBytes);
        _filled = 0;
        Parts++;
        AfterStage?.Invoke(Parts);
    }

    private async Task StageAsync(byte[] buffer, int length, string blockId)
    {
        try
        {
            using var content = new MemoryStream(buffer, 0, length, writable: false);
            await blob.StageBlockAsync(blockId, content, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Stages the last, partial part and waits for every stage. Call before disposing; a disposed-on-error stream stages nothing more.</summary>
    public void Complete()
    {
        if (_filled > 0) Stage();
        _inFlight?.GetAwaiter().GetResult();
        _inFlight = null;
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

