namespace CodePairs.Storage;

/// <summary>The drop container (<see cref="DropContainerSource"/>): folders of CMS files with a <c>ready</c> marker.</summary>
public interface IDropSource
{
    string ContainerName { get; }

    Task<IReadOnlyList<IncomingRelease>> DiscoverAsync(CancellationToken ct);
}
