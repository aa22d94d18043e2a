using System.Collections.Concurrent;
using System.Diagnostics;
using Azure.Core;
using Azure.Core.Pipeline;

/// <summary>Diagnostics for the fault runs: every try (one attempt of a request, inside the retry loop) that took longer
/// than <see cref="Threshold"/>, by method and path — injected stalls, and requests the service itself was slow to
/// answer (which the 2 s network timeout cuts and retries too).</summary>
internal sealed class SlowTries : HttpPipelinePolicy
{
    public TimeSpan Threshold { get; init; } = TimeSpan.FromSeconds(1.5);
    public ConcurrentQueue<string> Seen { get; } = new();

    public static void Install(ClientOptions options, SlowTries policy) => options.AddPolicy(policy, HttpPipelinePosition.PerRetry);

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var clock = Stopwatch.StartNew();
        string outcome = "?";
        try
        {
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
            outcome = message.HasResponse ? message.Response.Status.ToString(System.Globalization.CultureInfo.InvariantCulture) : "no response";
        }
        catch (Exception e)
        {
            outcome = e.GetType().Name;
            throw;
        }
        finally
        {
            if (clock.Elapsed > Threshold)
                Seen.Enqueue($"{clock.Elapsed.TotalSeconds:F1} s {message.Request.Method} {message.Request.Uri.Path} -> {outcome}");
        }
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) => ProcessNext(message, pipeline);
}
