namespace CodePairs.Storage;

/// <summary>The URL list (<see cref="UrlSource"/>): downloads the files into the raw archive as one candidate.</summary>
public interface IUrlSource
{
    /// <summary>Null when <paramref name="urls"/> is empty; throws <see cref="ReleaseSourceException"/> for a file it
    /// cannot deliver.</summary>
    Task<IncomingRelease?> DiscoverAsync(IReadOnlyList<Uri> urls, CancellationToken ct);
}
