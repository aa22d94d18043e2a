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
    /// <summary>Largest workbook held in memory to be read (the genuine AOC workbook is 225 KB).</summary>
    public long MaxWorkbookBytes { get; init; } = 64L << 20;

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
            result.Add((entry.FullName, () => new CappedStream(Open(e, name), declared, e.Crc32, name)));
        }
        return result;
    }

    /// <summary>Copies a stream to memory, for readers that need to seek (the .xlsx reader), refusing more than
    /// <paramref name="maxBytes"/>.</summary>
    internal static MemoryStream ToMemory(Stream stream, long maxBytes, string name)
    {
        var memory = new MemoryStream();
        var buffer = new byte[1 << 16];
        int n;
        while ((n = stream.Read(buffer)) > 0)
        {
            if (memory.Length + n > maxBytes) throw new CmsFileException(name, 0, $"larger than {maxBytes:N0} bytes; a CMS workbook is a few MiB");
            memory.Write(buffer, 0, n);
        }
        memory.Position = 0;
        return memory;
    }

    private static Stream Open(ZipArchiveEntry entry, string name)
    {
        try
        {
            return entry.Open();
        }
        catch (InvalidDataException e)
        {
            throw new CmsFileException(name, 0, $"the archive entry cannot be read: {e.Message}");
        }
    }

    /// <summary>Passes an entry's bytes through, failing as soon as more than its declared size arrive, and at the end
    /// unless exactly the declared size arrived with the CRC-32 the archive records: headers can lie in both directions
    /// (a forged small size would otherwise cut the entry short without a word).</summary>
    private sealed class CappedStream(Stream inner, long declared, uint crc, string name) : Stream
    {
        private readonly System.IO.Hashing.Crc32 _crc = new();
        private long _read;
        private bool _checked;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n;
            try
            {
                n = inner.Read(buffer);
            }
            catch (InvalidDataException e)
            {
                throw new CmsFileException(name, 0, $"corrupt compressed data: {e.Message}");
            }
            _read += n;
            if (_read > declared) throw new CmsFileException(name, 0, $"inflates past its declared size of {declared:N0} bytes (a forged or corrupt archive)");
            _crc.Append(buffer[..n]);
            if (n == 0 && buffer.Length > 0 && !_checked)
            {
                _checked = true;
                if (_read != declared)
                    throw new CmsFileException(name, 0, $"inflates to {_read:N0} bytes where the archive declares {declared:N0} (a forged or corrupt archive)");
                if (_crc.GetCurrentHashAsUInt32() != crc)
                    throw new CmsFileException(name, 0, "its CRC-32 does not match the archive's (a forged or corrupt archive)");
            }
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
