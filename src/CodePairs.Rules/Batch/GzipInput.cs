using System.Diagnostics;
using System.IO.Compression;
using System.IO.Hashing;

namespace CodePairs.Rules.Batch;

/// <summary>Caps on inflating one gzip batch file (issue 11: a 2.6 MB body that inflates to 1 GiB must not be read to its end).</summary>
/// <param name="MaxBytesOut">The most bytes a file may inflate to (the largest plain file the API accepts).</param>
/// <param name="MaxRatio">The most bytes out per byte in, once <paramref name="RatioFloorBytes"/> are out (claim CSVs inflate 5–20×).</param>
/// <param name="RatioFloorBytes">Below this many bytes out the ratio is not checked (small, repetitive files are fine).</param>
/// <param name="MaxTime">The most time spent inflating (reading the compressed bytes included).</param>
public sealed record GzipLimits(long MaxBytesOut, int MaxRatio, long RatioFloorBytes, TimeSpan MaxTime)
{
    public static readonly GzipLimits Default = new(4L * 1024 * 1024 * 1024, 100, 16L * 1024 * 1024, TimeSpan.FromMinutes(10));
}

/// <summary>
/// Inflates a gzip batch file as a stream, within <see cref="GzipLimits"/>, and checks it was whole: at the end the
/// gzip trailer's CRC-32 and length must match what was inflated (.NET's GZipStream ends quietly at a cut, so a
/// truncated upload would otherwise pass as a shorter file). One gzip member is supported (what gzip, pigz and HTTP
/// clients write); concatenated members fail the trailer check with a reason. Every failure is a
/// <see cref="BatchFileException"/>: the batch fails for its content, once, and is not retried.
/// </summary>
public sealed class GzipInputStream : ReadOnlyStream
{
    private readonly TailStream _compressed;
    private readonly GZipStream _gzip;
    private readonly GzipLimits _limits;
    private readonly Crc32 _crc = new();
    private readonly Stopwatch _clock = new();
    private long _out;
    private bool _verified;

    public GzipInputStream(Stream compressed, GzipLimits? limits = null)
    {
        _compressed = new TailStream(compressed);
        _gzip = new GZipStream(_compressed, CompressionMode.Decompress);
        _limits = limits ?? GzipLimits.Default;
    }

    /// <summary>
    /// What a gzip file says it inflates to: the length in its trailer (its last four bytes, little-endian; the length
    /// mod 2^32, exact below 4 GiB, which is <see cref="GzipLimits.Default"/>'s cap). Only a hint for planning: a file can
    /// say anything there, so the caps are still checked while inflating and the trailer again at the end.
    /// </summary>
    public static long InflatedLengthHint(ReadOnlySpan<byte> lastFourBytes)
        => lastFourBytes.Length == 4 ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(lastFourBytes) : -1;

    /// <summary>Bytes inflated so far.</summary>
    public long BytesOut => _out;

    public override int Read(Span<byte> buffer)
    {
        if (_verified || buffer.Length == 0) return 0;
        int n;
        _clock.Start();
        try { n = _gzip.Read(buffer); }
        catch (InvalidDataException e) { throw new BatchFileException($"the file is not valid gzip (after {_out:N0} bytes inflated): {e.Message}"); }
        finally { _clock.Stop(); }
        if (n == 0) { Verify(); return 0; }
        _crc.Append(buffer[..n]);
        _out += n;
        if (_out > _limits.MaxBytesOut)
            throw new BatchFileException($"the gzip file inflates to more than {_limits.MaxBytesOut:N0} bytes (the most a batch file may hold)");
        if (_out > _limits.RatioFloorBytes && _out > _limits.MaxRatio * Math.Max(1, _compressed.BytesRead))
            throw new BatchFileException($"the gzip file inflates more than {_limits.MaxRatio}× ({_out:N0} bytes from {_compressed.BytesRead:N0}): a compression bomb, not claim data");
        if (_clock.Elapsed > _limits.MaxTime)
            throw new BatchFileException($"inflating the gzip file took longer than {_limits.MaxTime.TotalSeconds:N0} s");
        return n;
    }

    private void Verify()
    {
        _verified = true;
        // GZipStream has read to the end of the compressed bytes; their last 8 are the trailer: CRC-32, length mod 2^32.
        if (_compressed.BytesRead < 18)
            throw new BatchFileException(_compressed.BytesRead == 0 ? "the gzip file is empty" : "the gzip file is truncated: it is shorter than a gzip header and trailer");
        var trailer = _compressed.Tail;
        var crc = BitConverter.ToUInt32(trailer[..4]);
        var size = BitConverter.ToUInt32(trailer[4..]);
        if (crc != _crc.GetCurrentHashAsUInt32() || size != unchecked((uint)_out))
            throw new BatchFileException($"the gzip file is truncated or corrupt: its trailer does not match the {_out:N0} bytes inflated " +
                "(a cut-off upload, or several gzip streams concatenated: send one)");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _gzip.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>Counts the bytes read through it and keeps the last eight.</summary>
    private sealed class TailStream(Stream inner) : ReadOnlyStream
    {
        private readonly byte[] _tail = new byte[8];
        public long BytesRead { get; private set; }

        public byte[] Tail
        {
            get
            {
                // _tail is a ring indexed by BytesRead: rotate it into file order.
                var result = new byte[8];
                for (var i = 0; i < 8; i++) result[i] = _tail[(BytesRead + i) % 8];
                return result;
            }
        }

        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            for (var i = Math.Max(0, n - 8); i < n; i++) _tail[(BytesRead + i) % 8] = buffer[i];
            BytesRead += n;
            return n;
        }

            protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
