using CodePairs.Rules;
using CodePairs.Rules.Snapshots;

namespace CodePairs.Storage;

/// <summary>Loads a rule set of the catalogue from its snapshots: the rule set's own snapshot (one read, ids ready),
/// else its table versions' snapshots composed.</summary>
public sealed class RuleSetLoader(ISnapshotStore snapshots)
{
    public async Task<RuleSet> LoadAsync(RuleSetEntry entry, CancellationToken ct)
    {
        try
        {
            var rules = await ReadAsync(BlobSnapshotStore.RuleSetBlob(entry.Id), ct).ConfigureAwait(false);
            var held = rules.Versions.Select(v => (v.Table, v.Key)).ToHashSet();
            var named = entry.Tables.Select(t => (t.Table, t.Key)).ToHashSet();
            if (!held.SetEquals(named))
                throw new SnapshotException($"the snapshot of rule set {entry.Id} holds other table versions than its catalogue entry names");
            return rules;
        }
        catch (SnapshotNotFoundException)
        {
            return await ComposeAsync(entry.Tables, ct).ConfigureAwait(false);
        }
    }

    /// <summary>The table versions named, each from its own snapshot, composed into one rule set.</summary>
    public async Task<RuleSet> ComposeAsync(IEnumerable<TableRef> tables, CancellationToken ct)
    {
        var versions = new List<TableVersion>();
        foreach (var t in tables)
        {
            var one = await ReadAsync(BlobSnapshotStore.VersionBlob(t.Table, t.Key), ct).ConfigureAwait(false);
            var version = one.Versions.SingleOrDefault(v => v.Table == t.Table && v.Key == t.Key)
                ?? throw new SnapshotException($"the snapshot of {t.Table.Name()} {t.Key} holds another version");
            versions.Add(version);
        }
        return RuleSet.Compose(versions);
    }

    private async Task<RuleSet> ReadAsync(string blob, CancellationToken ct)
    {
        await using var stream = await snapshots.OpenReadAsync(blob, ct).ConfigureAwait(false);
        // Read whole first: the snapshot reader checks length and hash over a buffer.
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct).ConfigureAwait(false);
        buffer.Position = 0;
        return RuleSnapshot.Read(buffer, blob);
    }
}
