using CodePairs.Rules;
using CodePairs.Rules.Snapshots;
using CodePairs.Storage;

namespace CodePairs.Functions.Rules;

/// <summary>The active set as storage holds it: the pointer in the catalogue, one snapshot blob per release.</summary>
public sealed class StorageRuleSetSource(IRuleCatalog catalog, ISnapshotStore snapshots) : IRuleSetSource
{
    public async Task<IReadOnlyList<string>?> GetActiveReleaseIdsAsync(CancellationToken cancellationToken)
        => (await catalog.GetActiveAsync(cancellationToken))?.ReleaseIds;

    public async Task<RuleSet> LoadAsync(IReadOnlyList<string> releaseIds, CancellationToken cancellationToken)
    {
        var loaded = new List<ReleaseSnapshot>(releaseIds.Count);
        foreach (var id in releaseIds)
        {
            await using var stream = await snapshots.OpenReadAsync(id, cancellationToken);
            // Read whole first: the snapshot reader checks length and hash over a buffer.
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken);
            buffer.Position = 0;
            loaded.Add(RuleSnapshot.Read(buffer, id));
        }
        return RuleSnapshot.Combine(loaded);
    }
}
