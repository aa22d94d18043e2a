using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace CodePairs.Tests.Shared;

/// <summary>The storage faults <see cref="FaultInjectionPolicy"/> injects (what a proxy in front of Azurite did in issue 11).</summary>
public enum StorageFault
{
    /// <summary>503 Server Busy, the request never reaching storage.</summary>
    ServerBusy,
    /// <summary>500 Internal Error, the request never reaching storage.</summary>
    InternalError,
    /// <summary>The request hangs for <see cref="FaultInjectionPolicy.Stall"/> before being sent (the client's network timeout must cut it).</summary>
    Stall,
    /// <summary>The connection is reset before the request is sent.</summary>
    ConnectionReset,
    /// <summary>The request reaches storage and succeeds, then the response is lost: the retry repeats a write that already happened.</summary>
    ResponseLost,
}

/// <summary>
/// An <see cref="HttpPipelinePolicy"/> that fails a share of requests with <see cref="StorageFault"/>s, for tests and
/// harnesses of anything that talks to storage (Blob, Queue and Table clients alike). Install it with
/// <see cref="Install"/>: it sits just before the transport, inside the client's retry loop and network timeout, so
/// every attempt may fail and the client's own retry policy is what copes. Deterministic for a seed (given the same
/// order of requests). Reusable: the refresh and publish tests can install it on their Table and Blob clients.
/// </summary>
public sealed class FaultInjectionPolicy : HttpPipelinePolicy
{
    private readonly Random _random;
    private readonly (StorageFault Fault, int Weight)[] _kinds;
    private readonly int _totalWeight;
    private readonly ConcurrentDictionary<StorageFault, int> _injected = new();
    private int _requests;

    /// <param name="rate">The share of requests to fail, 0 to 1.</param>
    /// <param name="kinds">Which faults, with weights (default: 503 ×3, 500 ×2, reset ×2, lost response ×2, stall ×1).</param>
    public FaultInjectionPolicy(double rate, int seed = 11, IReadOnlyList<(StorageFault Fault, int Weight)>? kinds = null)
    {
        Rate = rate;
        _random = new Random(seed);
        _kinds = (kinds ?? [(StorageFault.ServerBusy, 3), (StorageFault.InternalError, 2), (StorageFault.ConnectionReset, 2), (StorageFault.ResponseLost, 2), (StorageFault.Stall, 1)]).ToArray();
        _totalWeight = _kinds.Sum(k => k.Weight);
    }

    public double Rate { get; set; }

    /// <summary>How long a <see cref="StorageFault.Stall"/> hangs (the issue's proxy: 5 s).</summary>
    public TimeSpan Stall { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Which requests may be failed (all by default).</summary>
    public Func<HttpMessage, bool> Applies { get; init; } = _ => true;

    public int Requests => Volatile.Read(ref _requests);

    public IReadOnlyDictionary<StorageFault, int> Injected => _injected;

    public int InjectedTotal => _injected.Values.Sum();

    public static void Install(ClientOptions options, FaultInjectionPolicy policy) => options.AddPolicy(policy, HttpPipelinePosition.BeforeTransport);

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var fault = Next(message);
        switch (fault)
        {
            case null:
                var started = Stopwatch.GetTimestamp();
                try { await ProcessNextAsync(message, pipeline).ConfigureAwait(false); }
                finally { NoteIfSlow(message, started); }
                return;
            case StorageFault.Stall:
                await Task.Delay(Stall, message.CancellationToken).ConfigureAwait(false);
                await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
                return;
            case StorageFault.ResponseLost:
                await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
                throw Lost(message);
            default:
                Fail(message, fault.Value);
                return;
        }
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var fault = Next(message);
        switch (fault)
        {
            case null:
                var started = Stopwatch.GetTimestamp();
                try { ProcessNext(message, pipeline); }
                finally { NoteIfSlow(message, started); }
                return;
            case StorageFault.Stall:
                message.CancellationToken.WaitHandle.WaitOne(Stall);
                message.CancellationToken.ThrowIfCancellationRequested();
                ProcessNext(message, pipeline);
                return;
            case StorageFault.ResponseLost:
                ProcessNext(message, pipeline);
                throw Lost(message);
            default:
                Fail(message, fault.Value);
                return;
        }
    }

    /// <summary>Requests let through (no fault injected) that took longer than <see cref="SlowAfter"/> or failed
    /// without a response (the network timeout cut them): when, what, how long, and how many work items waited in this
    /// process's thread pool as it ended — a test that fails on storage timeouts prints them, so storage that stopped
    /// answering and a client that could not run its continuations can be told apart.</summary>
    public IReadOnlyCollection<string> Slow => _slow;

    public TimeSpan SlowAfter { get; init; } = TimeSpan.FromSeconds(1);

    private readonly ConcurrentQueue<string> _slow = new();

    private void NoteIfSlow(HttpMessage message, long started)
    {
        var took = Stopwatch.GetElapsedTime(started);
        if (took < SlowAfter && message.HasResponse) return;
        if (_slow.Count >= 200) return;
        var path = message.Request.Uri.Path;
        _slow.Enqueue($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {message.Request.Method} {path[(path.LastIndexOf('/') + 1)..]} " +
                      $"{took.TotalMilliseconds:N0} ms {(message.HasResponse ? message.Response.Status.ToString(System.Globalization.CultureInfo.InvariantCulture) : "no response")} " +
                      $"(thread pool: {ThreadPool.ThreadCount} threads, {ThreadPool.PendingWorkItemCount} waiting)");
    }

    private StorageFault? Next(HttpMessage message)
    {
        Interlocked.Increment(ref _requests);
        if (!Applies(message)) return null;
        StorageFault fault;
        lock (_random)
        {
            if (_random.NextDouble() >= Rate) return null;
            var pick = _random.Next(_totalWeight);
            var k = 0;
            while (pick >= _kinds[k].Weight) pick -= _kinds[k++].Weight;
            fault = _kinds[k].Fault;
        }
        _injected.AddOrUpdate(fault, 1, (_, n) => n + 1);
        return fault;
    }

    private static IOException Lost(HttpMessage message)
    {
        message.Response.Dispose();
        return new IOException("injected fault: the connection closed after the request was served, before the response arrived",
            new SocketException((int)SocketError.ConnectionReset));
    }

    private static void Fail(HttpMessage message, StorageFault fault)
    {
        switch (fault)
        {
            case StorageFault.ServerBusy:
                message.Response = new FaultResponse(503, "Server Busy", "ServerBusy", message.Request.ClientRequestId);
                return;
            case StorageFault.InternalError:
                message.Response = new FaultResponse(500, "Internal Server Error", "InternalError", message.Request.ClientRequestId);
                return;
            default:
                throw new IOException("injected fault: connection reset by peer", new SocketException((int)SocketError.ConnectionReset));
        }
    }

    /// <summary>A storage error response made up on the client side.</summary>
    private sealed class FaultResponse(int status, string reason, string code, string clientRequestId) : Response
    {
        private readonly Dictionary<string, string> _headers = new(StringComparer.OrdinalIgnoreCase)
        {
            ["x-ms-error-code"] = code, ["Content-Type"] = "application/xml", ["x-ms-client-request-id"] = clientRequestId,
        };

        public override int Status => status;
        public override bool IsError => true; // the transport sets this for real responses; the retry policy reads it
        public override string ReasonPhrase => reason;
        public override Stream? ContentStream { get; set; } = new MemoryStream(Encoding.UTF8.GetBytes(
            $"<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{code}</Code><Message>injected fault</Message></Error>"));
        public override string ClientRequestId { get; set; } = clientRequestId;
        public override void Dispose() => ContentStream?.Dispose();
        protected override bool ContainsHeader(string name) => _headers.ContainsKey(name);
        protected override IEnumerable<HttpHeader> EnumerateHeaders() => _headers.Select(h => new HttpHeader(h.Key, h.Value));
        protected override bool TryGetHeader(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) => _headers.TryGetValue(name, out value);

        protected override bool TryGetHeaderValues(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IEnumerable<string>? values)
        {
            var found = _headers.TryGetValue(name, out var value);
            values = found ? [value!] : null;
            return found;
        }
    }
}
