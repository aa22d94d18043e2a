using System.Buffers;
using Azure.Storage.Blobs.Specialized;
using CodePairs.Rules;

namespace CodePairs.Functions.Batches;

/// <summary>
/// A write-only stream that stages everything written to it as blocks of exactly <c>partBytes</c> (the last one
/// shorter) on a block blob, with the deterministic ids <see cref="BatchNames.BlockId"/>(chunk, part). Nothing is
/// committed here: a rerun stages the same bytes under the same ids, and the block list is committed once, at the
/// end. The engine writes through a synchronous TextWriter, so a full part is staged in the background while the next
/// fills (one stage in flight): memory is two part buffers, and compute and upload overlap.
/// </summary>
internal sealed class StagedBlocks(BlockBlobClient blob, int chunk, int partBytes, CancellationToken cancellationToken) : Stream
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
        _inFlight = StageAsync(_buffer!, _filled, BatchNames.BlockId(chunk, Parts));
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

/// <summary>
/// Reads an inner stream ahead in blocks on a background task (two blocks buffered), so the blob download overlaps the
/// synchronous parsing that consumes it. Memory: at most three blocks.
/// </summary>
internal sealed class ReadAheadStream : ReadOnlyStream
{
    private readonly System.Threading.Channels.Channel<(byte[] Buffer, int Length)> _blocks =
        System.Threading.Channels.Channel.CreateBounded<(byte[], int)>(new System.Threading.Channels.BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
    private readonly Stream _inner;
    private readonly CancellationTokenSource _stop;
    private Exception? _error;
    private byte[]? _current;
    private int _length, _offset;

    public ReadAheadStream(Stream inner, int blockBytes, CancellationToken cancellationToken)
    {
        _inner = inner;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _ = Task.Run(() => Pump(blockBytes, _stop.Token));
    }

    private async Task Pump(int blockBytes, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(blockBytes);
                var n = 0;
                while (n < blockBytes)
                {
                    var read = await _inner.ReadAsync(buffer.AsMemory(n, blockBytes - n), cancellationToken).ConfigureAwait(false);
                    if (read == 0) break;
                    n += read;
                }
                if (n == 0) { ArrayPool<byte>.Shared.Return(buffer); break; }
                await _blocks.Writer.WriteAsync((buffer, n), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            _error = e;
        }
        _blocks.Writer.TryComplete();
    }

    public override int Read(Span<byte> buffer)
    {
        if (_current is null || _offset == _length)
        {
            if (_current is not null) { ArrayPool<byte>.Shared.Return(_current); _current = null; }
            if (!_blocks.Reader.TryRead(out var next))
            {
                if (!_blocks.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult() || !_blocks.Reader.TryRead(out next))
                {
                    if (_error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_error);
                    return 0;
                }
            }
            (_current, _length, _offset) = (next.Buffer, next.Length, 0);
        }
        var n = Math.Min(buffer.Length, _length - _offset);
        _current.AsSpan(_offset, n).CopyTo(buffer);
        _offset += n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stop.Cancel();
            _inner.Dispose();
            if (_current is not null) ArrayPool<byte>.Shared.Return(_current);
            _current = null;
            while (_blocks.Reader.TryRead(out var left)) ArrayPool<byte>.Shared.Return(left.Buffer);
        }
        base.Dispose(disposing);
    }

}
