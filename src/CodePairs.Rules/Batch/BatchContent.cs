namespace CodePairs.Rules.Batch;

/// <summary>
/// Fails a batch fast, with a reason, when its bytes are not the UTF-8 text it must be: a UTF-16/UTF-32 byte-order
/// mark, a zip or gzip signature (in a file not named <c>.gz</c>, or gzip inside gzip), or a NUL byte anywhere (binary
/// data, or UTF-16 without a mark). Wraps the (decompressed) bytes the planner and the reader see, so a file fails
/// the same way whatever its size and however it is chunked.
/// </summary>
public sealed class BatchContentStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly bool _checkStart;
    private long _position;
    private readonly byte[] _start = new byte[4];
    private int _startLength;

    /// <param name="startOfFile">True when the stream begins at the file's first byte (so its signature can be checked).</param>
    /// <param name="offset">The file offset of the stream's first byte (for the reason's byte number).</param>
    public BatchContentStream(Stream inner, bool startOfFile, long offset = 0)
    {
        _inner = inner;
        _checkStart = startOfFile;
        _position = offset;
        if (!startOfFile) _startLength = _start.Length;
    }

    public override int Read(Span<byte> buffer)
    {
        var n = _inner.Read(buffer);
        Check(buffer[..n]);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Check(buffer.Span[..n]);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private void Check(ReadOnlySpan<byte> data)
    {
        if (_startLength < _start.Length && _checkStart)
        {
            var n = Math.Min(_start.Length - _startLength, data.Length);
            data[..n].CopyTo(_start.AsSpan(_startLength));
            _startLength += n;
            if (Signature(_start.AsSpan(0, _startLength)) is { } reason)
                throw new BatchFileException(reason);
        }
        var nul = data.IndexOf((byte)0);
        if (nul >= 0)
            throw new BatchFileException($"byte {_position + nul + 1}: the file holds a NUL byte, so it is binary data or UTF-16 text, not UTF-8 CSV or JSON Lines");
        _position += data.Length;
    }

    /// <summary>Why the first bytes say the file is not UTF-8 text, or null.</summary>
    public static string? Signature(ReadOnlySpan<byte> start)
    {
        if (start.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || start.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
            return "the file is UTF-16 (it starts with a UTF-16 byte-order mark); CodePairs reads UTF-8: save it as 'CSV UTF-8'";
        if (start.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]))
            return "the file is UTF-32; CodePairs reads UTF-8";
        if (start.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B]))
            return "the content is gzip-compressed: name the file .gz (or send Content-Encoding: gzip), and compress it once";
        if (start.StartsWith("PK\u0003\u0004"u8))
            return "the file is a zip archive (or an .xlsx workbook), not CSV or JSON Lines text";
        return null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}
