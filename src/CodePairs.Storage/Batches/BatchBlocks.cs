using System.Text;

namespace CodePairs.Storage.Batches;

/// <summary>The deterministic block ids of a batch's staged output: a rerun stages the same bytes under the same ids.</summary>
public static class BatchBlocks
{
    /// <summary>Block id of output part <paramref name="part"/> of chunk <paramref name="chunk"/> (all ids have one length).</summary>
    public static string Id(int chunk, int part) => Convert.ToBase64String(Encoding.ASCII.GetBytes($"chunk-{chunk:D6}-{part:D6}"));
}
