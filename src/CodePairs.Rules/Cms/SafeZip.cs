using System.IO.Compression;

namespace CodePairs.Rules.Cms;

/// <summary>Caps that keep a hostile archive (a zip bomb, a zip of a million entries) from exhausting the machine.
/// Declared sizes are checked before anything is inflated, and actual sizes while inflating (headers can lie).</summary>
public sealed record ZipLimits
{
    public int MaxEntries { get; init; } = 64;
    /// <summary>Largest uncompressed entry. A real practitioner PTP part is about 60 MB.</summary>
    public long MaxEntryBytes { get; init; } = 1L << 30;
    public long MaxTotalBytes { get; init; } = 3L << 30;
    /// <summary>Largest uncompressed/compressed ratio of an entry over <see cref="RatioFloorBytes"/>; CMS text
    /// compresses about 10:1.</summary>
    public double MaxRatio { get; init; } = 100;
    public long RatioFloorBytes { get; init; } = 1 << 20;

    public static ZipLimits Default { get; } = new();
}

/// <summary>Opens zip archives under <see cref="ZipLimits"/>.</summary>
public static class SafeZip
{
    /// <summary>Checks every entry's declared size, then yields the entries (name, opener). Each opened stream throws
    /// <see cref="CmsFileException"/> as soon as it inflates past its declared size or the caps.</summary>
    public static List<(string Name, Func<Stream> Open)> Entries(ZipArchive zip, string zipName, ZipLimits limits)
    {
        var entries = zip.Entries;
        if (entries.Count > limits.MaxEntries)
            throw new CmsFileException(zipName, 0, $"the archive holds {entries.Count} entries; at most {limits.MaxEntries} are accepted");
        long total = 0;
        var result = new List<(string, Func<Stream>)>();
        foreach (var entry in entries)
        {
            if (entry.FullName.EndsWith('/')) continue; // folder
            if (entry.Length > limits.MaxEntryBytes)
                throw new CmsFileException(zipName, 0, $"entry '{entry.FullName}' inflates to {entry.Length:N0} bytes; at most {limits.MaxEntryBytes:N0} are accepted");
            total += entry.Length;
            if (total > limits.MaxTotalBytes)
                throw new CmsFileException(zipName, 0, $"the archive inflates to more than {limits.MaxTotalBytes:N0} bytes");
            if (entry.Length > limits.RatioFloorBytes && entry.Length > limits.MaxRatio * Math.Max(1, entry.CompressedLength))
                throw new CmsFileException(zipName, 0, $"entry '{entry.FullName}' has a compression ratio of {entry.Length / (double)Math.Max(1, entry.CompressedLength):N0}:1; at most {limits.MaxRatio:N0}:1 is accepted (zip bomb?)");
            var declared = entry.Length;
            var name = $"{zipName}/{entry.FullName}";
            var e = entry;
            result.Add((entry.FullName, () => new CappedStream(e.Open(), Math.Min(declared, limits.MaxEntryBytes), name)));
        }
        return result;
    }

    /// <summary>Copies a (capped) stream to memory, for readers that need to seek (the .xlsx reader).</summary>
    internal static MemoryStream ToMemory(Stream stream)
    {
        var memory = new MemoryStream();
        stream.CopyTo(memory);
        memory.Position = 0;
        return memory;
    }

    private sealed class CappedStream(Stream inner, long cap, string name) : Stream
    {
        private long _read;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            _read += n;
            if (_read > cap) throw new CmsFileException(name, 0, $"inflates past its declared size of {cap:N0} bytes (a forged or corrupt archive)");
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
