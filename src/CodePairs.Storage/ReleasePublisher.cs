using CodePairs.Rules;
using CodePairs.Rules.Snapshots;

namespace CodePairs.Storage;

/// <summary>What publishing did: the release, its entity writes, the snapshot's hash and the active set after.</summary>
public sealed record PublishResult(string ReleaseId, ReleaseWriteResult Written, string SnapshotSha256, IReadOnlyList<string> ActiveReleaseIds);

/// <summary>
/// Puts one built release into storage and makes it active: catalogue entry (loading) → the release's rows into
/// RuleEdits → verify the stored row counts against the built tables → snapshot blob → catalogue (verified) →
/// ETag-conditional pointer flip → catalogue (active). Every step is idempotent, so a rerun after a crash ends in the
/// same state; nothing becomes active before it has been verified.
/// </summary>
public sealed class ReleasePublisher(IRuleCatalog catalog, IReleaseEditsStore edits, ISnapshotStore snapshots, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <param name="rules">A rule set holding the release (e.g. built from CMS files or loaded from a snapshot).</param>
    /// <param name="releaseId">The release to publish; the rule set's only release when null.</param>
    /// <param name="activate">Add the release to the active set (true), or stop once it is verified.</param>
    public async Task<PublishResult> PublishAsync(RuleSet rules, string? releaseId = null, bool activate = true,
        IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var release = releaseId is null
            ? rules.Releases.Count == 1 ? rules.Releases[0] : throw new ArgumentException("the rule set holds several releases: name one")
            : rules.Releases.FirstOrDefault(r => r.Id == releaseId) ?? throw new ArgumentException($"the rule set holds no release '{releaseId}'");

        // The snapshot's hash identifies the content: the same release published again changes nothing, while a
        // different release under an id already stored must not leave the old rows behind.
        using var buffer = new MemoryStream();
        RuleSnapshot.Write(buffer, rules, release);
        var contentSha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
        var existing = await catalog.GetAsync(release.Id, cancellationToken);
        if (existing?.SnapshotSha256 is { } storedSha && !string.Equals(storedSha, contentSha, StringComparison.OrdinalIgnoreCase))
        {
            if (existing.Status == ReleaseStatus.Active)
                throw new InvalidOperationException($"release {release.Id} is active with different content: publish the new content under a new release id, or activate another release first");
            progress?.Report($"{release.Id} is stored with different content: deleting its rows first");
            await edits.DeleteReleaseAsync(release.Id, cancellationToken);
            existing = null;
        }
        var created = existing?.CreatedAt ?? _clock.GetUtcNow();
        await catalog.UpsertAsync(Entry(release, existing?.Status == ReleaseStatus.Active ? ReleaseStatus.Active : ReleaseStatus.Loading,
            existing?.SnapshotSha256, created, existing?.ActivatedAt, null), cancellationToken);

        progress?.Report($"writing {release.Id} to table storage");
        var written = await edits.WriteAsync(release, rules.Codes, null, cancellationToken);

        progress?.Report("verifying stored row counts");
        foreach (var component in release.Components)
        {
            var stored = await edits.CountRowsAsync(release.Id, component.Table, cancellationToken);
            if (stored != component.Rows)
            {
                var error = $"verification failed: {component.Table} holds {stored} rows in storage, the release has {component.Rows}";
                await catalog.UpsertAsync(Entry(release, ReleaseStatus.Loading, null, created, null, error), cancellationToken);
                throw new InvalidDataException(error);
            }
        }

        progress?.Report("writing the snapshot");
        buffer.Position = 0;
        var sha = await snapshots.UploadAsync(release.Id, buffer, cancellationToken);
        await catalog.UpsertAsync(Entry(release, existing?.Status == ReleaseStatus.Active ? ReleaseStatus.Active : ReleaseStatus.Verified,
            sha, created, existing?.ActivatedAt, null), cancellationToken);
        if (!activate) return new PublishResult(release.Id, written, sha, (await catalog.GetActiveAsync(cancellationToken))?.ReleaseIds ?? []);

        progress?.Report("activating");
        var active = await ActivateAsync(release.Id, replace: false, cancellationToken);
        return new PublishResult(release.Id, written, sha, active);
    }

    /// <summary>Makes a verified release active: added to the active set (ordered by effective date), or, with
    /// <paramref name="replace"/>, the only active release (rollback). The pointer write is ETag-conditional.</summary>
    public async Task<IReadOnlyList<string>> ActivateAsync(string releaseId, bool replace, CancellationToken cancellationToken)
    {
        var entry = await catalog.GetAsync(releaseId, cancellationToken)
            ?? throw new ArgumentException($"release '{releaseId}' is not in the catalogue");
        if (entry.Status is not (ReleaseStatus.Verified or ReleaseStatus.Active or ReleaseStatus.Retired) || entry.SnapshotSha256 is null)
            throw new InvalidOperationException($"release '{releaseId}' is {entry.Status.ToString().ToLowerInvariant()}, not verified: it cannot be activated");

        var pointer = await catalog.GetActiveAsync(cancellationToken);
        var ids = replace ? [releaseId] : (pointer?.ReleaseIds ?? []).Append(releaseId).Distinct().ToList();
        var entries = new List<ReleaseEntry>();
        foreach (var id in ids) entries.Add(id == releaseId ? entry : await catalog.GetAsync(id, cancellationToken) ?? throw new InvalidOperationException($"active release '{id}' is missing from the catalogue"));
        var ordered = entries.OrderBy(e => e.EffectiveFrom).Select(e => e.Id).ToArray();
        var now = _clock.GetUtcNow();
        var updated = await catalog.SetActiveAsync(ordered, pointer?.ETag, cancellationToken);
        await catalog.UpsertAsync(entry with { Status = ReleaseStatus.Active, ActivatedAt = now, LastError = null }, cancellationToken);
        if (replace && pointer is not null)
            foreach (var old in pointer.ReleaseIds.Where(id => id != releaseId))
                if (await catalog.GetAsync(old, cancellationToken) is { } e)
                    await catalog.UpsertAsync(e with { Status = ReleaseStatus.Retired }, cancellationToken);
        return updated.ReleaseIds;
    }

    private static ReleaseEntry Entry(Release release, ReleaseStatus status, string? sha, DateTimeOffset created, DateTimeOffset? activated, string? error)
        => new(release.Id, release.EffectiveFrom, status, release.Components, sha is null ? null : BlobSnapshotStore.BlobName(release.Id), sha,
            created, activated, error);
}
