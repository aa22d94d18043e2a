using System.IO.Compression;
using System.Text;

namespace CodePairs.Rules.Tests.Batch;

/// <summary>
/// Hostile batch inputs made on the fly, never held: a stream of <c>prefix</c>, then <c>repeat</c> written
/// <c>count</c> times, then <c>suffix</c>. A 1 GiB line or 41M lines of one claim cost a fixed buffer.
/// </summary>
public sealed class RepeatStream(byte[] prefix, byte[] repeat, long count, byte[] suffix) : Stream
{
    private long _position;
    private readonly long _length = prefix.Length + repeat.Length * count + suffix.Length;

    public RepeatStream(string prefix, string repeat, long count, string suffix = "")
        : this(Encoding.UTF8.GetBytes(prefix), Encoding.UTF8.GetBytes(repeat), count, Encoding.UTF8.GetBytes(suffix)) { }

    /// <summary>Bytes handed out so far (how far a reader has read).</summary>
    public long BytesRead => _position;

    public override long Length => _length;

    public override int Read(Span<byte> buffer)
    {
        var n = 0;
        while (n < buffer.Length && _position < _length)
        {
            var (source, offset) = Locate(_position);
            var take = Math.Min(buffer.Length - n, source.Length - offset);
            source.AsSpan(offset, take).CopyTo(buffer[n..]);
            n += take;
            _position += take;
        }
        return n;
    }

    private (byte[] Source, int Offset) Locate(long position)
    {
        if (position < prefix.Length) return (prefix, (int)position);
        position -= prefix.Length;
        var body = repeat.Length * count;
        if (position < body) return (repeat, (int)(position % repeat.Length));
        return (suffix, (int)(position - body));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
    public override void Flush() { }
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Gzips a stream into memory (optimal level: a 1 GiB repetitive input is a few MB, like the bomb).</summary>
    public static byte[] Gzip(Stream input, CompressionLevel level = CompressionLevel.Optimal)
    {
        var output = new MemoryStream();
        using (var gz = new GZipStream(output, level, leaveOpen: true)) input.CopyTo(gz, 1 << 20);
        return output.ToArray();
    }
}
