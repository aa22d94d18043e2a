using Azure;
using CodePairs.Rules;

namespace CodePairs.Storage.Batches;

/// <summary>A conditional blob read that turns "condition not met" (412: the blob was replaced since the read began)
/// into <see cref="BatchInputChangedException"/>, so callers never see the storage SDK's types.</summary>
internal sealed class ConditionalReadStream(Stream inner) : ReadOnlyStream
{
    public override int Read(Span<byte> buffer)
    {
        try { return inner.Read(buffer); }
        catch (RequestFailedException e) when (e.Status == 412) { throw new BatchInputChangedException(e); }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try { return await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false); }
        catch (RequestFailedException e) when (e.Status == 412) { throw new BatchInputChangedException(e); }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
