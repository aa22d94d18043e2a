using System.Diagnostics;

namespace CodePairs.Functions.Tests.Batches;

/// <summary>Samples this process's resident memory (working set) every 20 ms until disposed.</summary>
public sealed class MemorySampler : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _peak;

    public MemorySampler()
    {
        Sample();
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                Sample();
                try { await Task.Delay(20, _stop.Token); } catch (OperationCanceledException) { }
            }
        });
    }

    public long Peak { get { Sample(); return Interlocked.Read(ref _peak); } }

    /// <summary>Starts a new peak from the current working set.</summary>
    public void Reset() { Interlocked.Exchange(ref _peak, 0); Sample(); }

    private void Sample()
    {
        using var process = Process.GetCurrentProcess();
        var now = process.WorkingSet64;
        long seen;
        while (now > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen) { }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _loop.Wait();
        _stop.Dispose();
    }
}
