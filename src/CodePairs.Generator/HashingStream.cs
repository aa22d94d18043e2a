using System.Security.Cryptography;
using CodePairs.Rules.Cms;

namespace CodePairs.Rules.Generation;

/// <summary>Counts and hashes what passes through, so the manifest can name each file's size and SHA-256.</summary>
internal sealed class HashingStream(Stream inner, string name) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _length;
    public string Name { get; } = name;

    public ReleaseManifest.File Finish()
    {
        inner.Flush();
        return new ReleaseManifest.File(Name, _length, Convert.ToHexStringLower(_hash.GetHashAndReset()));
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _hash.AppendData(buffer);
        _length += buffer.Length;
        inner.Write(buffer);
    }
    public override void Flush() => inner.Flush();
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _length;
    public override long Position { get => _length; set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    protected override void Dispose(bool disposing)
    {
        if (disposing) { inner.Dispose(); _hash.Dispose(); }
        base.Dispose(disposing);
    }
}
