using CodePairs.Rules;

namespace CodePairs.Functions.Batches;

/// <summary>
/// The body of <c>POST /api/v1/batches</c> read with its cap enforced as it streams: a body sent without
/// Content-Length (chunked) that passes <c>maxBytes</c> stops with <see cref="SubmitBodyTooLargeException"/> before
/// the upload commits, so the cap holds whatever the headers say.
/// </summary>
internal sealed class SubmitBodyStream(Stream body, long maxBytes) : ReadOnlyStream
{
    private long _read;

    public override int Read(Span<byte> buffer) => Count(body.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        => Count(await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Count(int n)
    {
        _read += n;
        if (_read > maxBytes) throw new SubmitBodyTooLargeException();
        return n;
    }
}

internal sealed class SubmitBodyTooLargeException : Exception;
