using System.Buffers;
using CodePairs.Rules;

namespace CodePairs.Functions.Batches;

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
