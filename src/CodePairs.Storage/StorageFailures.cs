using Azure;

namespace CodePairs.Storage;

/// <summary>Tells a failure of the storage account from a failure of the data, without the caller naming SDK types.</summary>
public static class StorageFailures
{
    /// <summary>The account failed (an error answer after the retries, a reset, a timeout), not the content being read:
    /// the next run may succeed with the same data.</summary>
    public static bool IsStorageFailure(Exception e) => e switch
    {
        RequestFailedException or TimeoutException => true,
        IOException when e is not CodePairs.Rules.Cms.CmsFileException => e.InnerException is System.Net.Sockets.SocketException || e.GetType() == typeof(IOException),
        AggregateException a => a.InnerExceptions.Count > 0 && a.InnerExceptions.All(IsStorageFailure),
        _ => false,
    };

    /// <summary>The service answered with an error (or the SDK's retries gave up on one).</summary>
    public static bool IsErrorAnswer(Exception e) => e is RequestFailedException;
}
