using CodePairs.Rules;
using CodePairs.Rules.Snapshots;

namespace CodePairs.Storage;

/// <summary>
/// The one release protocol, used by the refresh job, the admin routes and <c>rules publish</c> alike:
/// stage every table version of a drop (catalogue entry → rows written with per-partition checkpoints → counts and
/// read-back verified → snapshot → verified) → compose the new rule set (the active one with the drop's versions laid
/// over it: a table the drop does not hold carries over) and its snapshot → flip the active pointer (ETag-conditional,
/// the only commit point) → the previous rule set is retired, kept for rollback → retention. Every step is idempotent,
/// so a rerun after a crash resumes and ends in the same state; the active rule set serves until the new one is
/// verified.
/// </summary>
public sealed class RulePublisher(IRuleCatalog catalog, IRuleEditsStore edits, ISnapshotStore snapshots, ICheckpointStore checkpoints, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly RuleSetLoader _loader = new(snapshots);

    public IRuleCatalog Catalog => catalog;
    public RuleSetLoader Loader => _loader;

    /// <summary>The points between durable steps where a crash is interesting (the kill -9 checks of scripts/chaos.sh,
    /// docs/operations.md): a version's catalogue entry written as loading, before any row; half of a version's rows
    /// written; all of them written, not yet verified; the version verified and snapshotted, its checkpoints not yet
    /// deleted; the rule set composed and snapshotted, the pointer not moved; the pointer moved, the rule set not yet
    /// marked active, the previous one not retired, retention not run.</summary>
    public static readonly string[] CrashPoints = ["version-loading", "rows-partial", "rows-written", "version-verified", "composed", "flipped"];

    /// <summary>Test and chaos hook: called at each of <see cref="CrashPoints"/>, e.g. to die there.</summary>
    internal Action<string>? AtPoint { get; set; }

    public async Task<PublishResult> PublishAsync(RuleSet drop, string origin, PublishOptions? options = null,
        IProgress<PublishProgress>? progress = null, CancellationToken ct = default)
    {
        options ??= new PublishOptions();
        var tally = new Tally(progress);
        var staged = new List<(TableVersion Version, long Writes, bool Written)>();
        foreach (var version in drop.Versions)
        {
            var (writes, written) = await StageAsync(version, options, tally, ct).ConfigureAwait(false);
            staged.Add((version, writes, written));
        }

        // Compose over the active rule set and flip; another publisher moving the pointer meanwhile means compose again.
        for (var attempt = 1; ; attempt++)
        {
            var pointer = await catalog.GetActiveAsync(ct).ConfigureAwait(false);
            var active = pointer is null ? null : await catalog.GetRuleSetAsync(pointer.RuleSetId, ct).ConfigureAwait(false);
            var held = active is null ? null : await _loader.LoadAsync(active, ct).ConfigureAwait(false);
            var state = RuleSet.Compose(RuleSet.Overlay(held?.Versions ?? [], drop.Versions, options.VersionsPerTable, v => (v.Table, v.EffectiveFrom, v.Version)));
            var tables = state.Versions.Select(Ref).ToArray();
            var id = RuleSetIds.For(tables);
            var outcomes = staged.Select(s => new VersionOutcome(s.Version.Table, s.Version.Version, s.Version.Key, s.Version.EffectiveFrom, s.Version.Rows,
                s.Written, s.Writes, tables.Any(t => t.Table == s.Version.Table && t.Key == s.Version.Key))).ToArray();
            var writes = staged.Sum(s => s.Writes);
            if (active?.Id == id)
            {
                // Already in force. A run that died after moving the pointer left the rest of the activation undone
                // (the entry not marked active, the previous one not retired, retention not run): finish it.
                if (options.Activate) await CompleteActivationAsync(active, options, ct).ConfigureAwait(false);
                return new PublishResult(id, outcomes, tables, false, true, active.Previous, writes);
            }

            tally.Step($"compose {id}");
            var changes = Summaries(held, drop, tables);
            await ComposeAsync(id, state, tables, origin, active?.Id, changes, ct).ConfigureAwait(false);
            AtPoint?.Invoke("composed");
            if (!options.Activate) return new PublishResult(id, outcomes, tables, false, false, active?.Id, writes) { Changes = changes };
            try
            {
                tally.Step($"activate {id}");
                await FlipAsync(id, pointer, options, ct).ConfigureAwait(false);
                return new PublishResult(id, outcomes, tables, true, false, active?.Id, writes) { Changes = changes };
            }
            catch (PointerConflictException) when (attempt < 3)
            {
                tally.Step("the active rule set moved meanwhile: composing again");
            }
        }
    }

    /// <summary>Makes a verified (or retired) rule set the active one: rollback, or the last step of a publish. Every
    /// table version it names must still be stored.</summary>
    /// <exception cref="RuleSetNotFoundException">No such rule set.</exception>
    /// <exception cref="RuleSetNotActivatableException">It is deleted, or a version it names is gone.</exception>
    /// <exception cref="PointerConflictException">The active pointer moved while it was being flipped.</exception>
    public async Task<RuleSetEntry> ActivateAsync(string ruleSetId, PublishOptions? options = null, CancellationToken ct = default)
    {
        var outcome = await TryActivateAsync(ruleSetId, options, ct).ConfigureAwait(false);
        return outcome.Refusal switch
        {
            ActivationRefusal.None => outcome.Entry!,
            ActivationRefusal.NotFound => throw new RuleSetNotFoundException(ruleSetId),
            ActivationRefusal.NotActivatable => throw new RuleSetNotActivatableException(outcome.Reason!),
            _ => throw new PointerConflictException(outcome.Reason!),
        };
    }

    /// <summary><see cref="ActivateAsync"/> with its refusals as an outcome (for a door that answers each with its own
    /// status) rather than exceptions.</summary>
    public async Task<ActivationOutcome> TryActivateAsync(string ruleSetId, PublishOptions? options = null, CancellationToken ct = default)
    {
        options ??= new PublishOptions();
        var entry = await catalog.GetRuleSetAsync(ruleSetId, ct).ConfigureAwait(false);
        if (entry is null) return ActivationOutcome.Refused(ActivationRefusal.NotFound, $"rule set '{ruleSetId}' is not in the catalogue");
        if (entry.Status == RuleSetStatus.Deleted || entry.SnapshotSha256 is null)
            return ActivationOutcome.Refused(ActivationRefusal.NotActivatable, $"rule set {ruleSetId} is {Name(entry.Status)}: it can no longer be activated");
        foreach (var t in entry.Tables)
            if (await catalog.GetVersionAsync(t.Table, t.Key, ct).ConfigureAwait(false) is not { Status: VersionStatus.Verified })
                return ActivationOutcome.Refused(ActivationRefusal.NotActivatable,
                    $"rule set {ruleSetId} names {t.Table.Name()} {t.Version} ({t.Key}), which is no longer stored");
        var pointer = await catalog.GetActiveAsync(ct).ConfigureAwait(false);
        try
        {
            return new ActivationOutcome(await FlipAsync(ruleSetId, pointer, options, ct).ConfigureAwait(false), ActivationRefusal.None, null);
        }
        catch (PointerConflictException e)
        {
            return ActivationOutcome.Refused(ActivationRefusal.PointerMoved, e.Message);
        }
    }

    // ---- steps ----

    /// <summary>Writes, verifies and snapshots one table version, unless it is already stored and verified.</summary>
    private async Task<(long Writes, bool Written)> StageAsync(TableVersion version, PublishOptions options, Tally tally, CancellationToken ct)
    {
        var (table, key) = (version.Table, version.Key);
        var name = $"{table.Name()} {version.Version}";
        var existing = await catalog.GetVersionAsync(table, key, ct).ConfigureAwait(false);
        if (existing is { Status: VersionStatus.Verified, SnapshotSha256: not null })
        {
            // A run that died between verifying the version and deleting its checkpoints left them: delete them now
            // (one query when there are none).
            await checkpoints.DeleteAsync(table, key, ct).ConfigureAwait(false);
            tally.Step($"{name}: already stored");
            return (0, false);
        }
        var created = existing?.CreatedAt ?? _clock.GetUtcNow();
        await catalog.UpsertVersionAsync(Entry(version, VersionStatus.Loading, null, created, null), ct).ConfigureAwait(false);
        AtPoint?.Invoke("version-loading");

        var stored = StoredRows.Encode(version);
        tally.Plan($"write {name}", stored.Groups.Count + 1);
        var committed = await checkpoints.CommittedAsync(table, key, ct).ConfigureAwait(false);
        var recorder = checkpoints.Record(table, key);
        WriteResult written;
        try
        {
            written = await edits.WriteAsync(stored, key, committed, recorder.CommittedAsync, HalfWay(tally.Writes(), stored.Groups.Count + 1), options.MaxEntityWritesPerSecond, ct)
                .ConfigureAwait(false);
        }
        finally
        {
            // Keep what did commit, even when stopping; a hard crash loses these and the rerun only rewrites them.
            try { await recorder.FlushAsync(CancellationToken.None).ConfigureAwait(false); } catch (Azure.RequestFailedException) { }
        }
        tally.Done(written.Entities);
        AtPoint?.Invoke("rows-written");
        tally.Step($"verify {name}");

        if (await VerifyAsync(version, stored, ct).ConfigureAwait(false) is { } problem)
        {
            await catalog.UpsertVersionAsync(Entry(version, VersionStatus.Loading, null, created, problem), ct).ConfigureAwait(false);
            throw new PublishException(problem);
        }
        using var buffer = new MemoryStream();
        RuleSnapshot.Write(buffer, version);
        buffer.Position = 0;
        var sha = await snapshots.UploadAsync(BlobSnapshotStore.VersionBlob(table, key), buffer, ct).ConfigureAwait(false);
        await catalog.UpsertVersionAsync(Entry(version, VersionStatus.Verified, sha, created, null), ct).ConfigureAwait(false);
        AtPoint?.Invoke("version-verified");
        await checkpoints.DeleteAsync(table, key, ct).ConfigureAwait(false);
        return (written.Entities, true);
    }

    /// <summary>The writer's progress, calling the "rows-partial" crash point once half of the entities are written.</summary>
    private IProgress<int>? HalfWay(IProgress<int>? progress, int planned)
    {
        var point = AtPoint;
        if (point is null) return progress;
        var fired = 0;
        return new InlineProgress(n =>
        {
            progress?.Report(n);
            if (n * 2 >= planned && Interlocked.Exchange(ref fired, 1) == 0) point("rows-partial");
        });
    }

    private sealed class InlineProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }

    /// <summary>The stored row count against the version's, then a few groups read back and compared byte for byte.</summary>
    private async Task<string?> VerifyAsync(TableVersion version, StoredTable stored, CancellationToken ct)
    {
        var name = $"{version.Table.Name()} {version.Version}";
        var rows = await edits.CountRowsAsync(version.Table, version.Key, ct).ConfigureAwait(false);
        if (rows != version.Rows) return $"verification failed: {name} holds {rows:N0} rows in storage, the file had {version.Rows:N0}";
        foreach (var group in Sample(stored.Groups))
        {
            var back = await edits.ReadGroupAsync(version.Table, version.Key, group.Key, ct).ConfigureAwait(false);
            if (back is null || back.Rows != group.Rows || !back.Data.AsSpan().SequenceEqual(group.Data))
                return $"verification failed: {name} rows of {group.Key} read back differ from the file's";
        }
        return null;
    }

    private static IEnumerable<T> Sample<T>(IReadOnlyList<T> items)
        => items.Count == 0 ? [] : new[] { 0, items.Count / 3, items.Count / 2, 2 * items.Count / 3, items.Count - 1 }.Distinct().Select(i => items[i]);

    /// <summary>Writes the rule set's snapshot (checked by reading it back) and its catalogue entry, verified.</summary>
    private async Task ComposeAsync(string id, RuleSet state, IReadOnlyList<TableRef> tables, string origin, string? previous,
        IReadOnlyList<ChangeSummary> changes, CancellationToken ct)
    {
        var existing = await catalog.GetRuleSetAsync(id, ct).ConfigureAwait(false);
        if (existing is { SnapshotSha256: not null, Status: not RuleSetStatus.Deleted }) return;
        using var buffer = new MemoryStream();
        RuleSnapshot.Write(buffer, state);
        buffer.Position = 0;
        var check = RuleSnapshot.Read(buffer, id); // what a worker will load
        if (check.Versions.Count != tables.Count) throw new PublishException($"verification failed: the snapshot of {id} does not read back");
        buffer.Position = 0;
        var sha = await snapshots.UploadAsync(BlobSnapshotStore.RuleSetBlob(id), buffer, ct).ConfigureAwait(false);
        await catalog.UpsertRuleSetAsync(new RuleSetEntry(id, RuleSetStatus.Verified, tables, origin, previous, sha, existing?.CreatedAt ?? _clock.GetUtcNow(), null)
            { Changes = changes }, ct).ConfigureAwait(false);
    }

    /// <summary>The commit point: the pointer moves (ETag-conditional), the new rule set is active, the old one retired.</summary>
    private async Task<RuleSetEntry> FlipAsync(string id, ActivePointer? pointer, PublishOptions options, CancellationToken ct)
    {
        var entry = await catalog.GetRuleSetAsync(id, ct).ConfigureAwait(false) ?? throw new RuleSetNotFoundException(id);
        if (pointer?.RuleSetId != id)
        {
            await catalog.SetActiveAsync(id, pointer?.ETag, ct).ConfigureAwait(false);
            AtPoint?.Invoke("flipped");
        }
        return await CompleteActivationAsync(entry, options, ct).ConfigureAwait(false);
    }

    /// <summary>After the pointer names <paramref name="entry"/>: it is marked active, any other rule set still marked
    /// active (the one it replaced, or one a dead run left so) is retired, and retention runs. Idempotent, so a rerun
    /// finishes what a run that died after the flip left undone.</summary>
    private async Task<RuleSetEntry> CompleteActivationAsync(RuleSetEntry entry, PublishOptions options, CancellationToken ct)
    {
        var activated = entry.Status == RuleSetStatus.Active ? entry : entry with { Status = RuleSetStatus.Active, ActivatedAt = _clock.GetUtcNow(), LastError = null };
        if (!ReferenceEquals(activated, entry)) await catalog.UpsertRuleSetAsync(activated, ct).ConfigureAwait(false);
        foreach (var stale in (await catalog.ListRuleSetsAsync(ct).ConfigureAwait(false)).Where(s => s.Status == RuleSetStatus.Active && s.Id != entry.Id))
            await catalog.UpsertRuleSetAsync(stale with { Status = RuleSetStatus.Retired }, ct).ConfigureAwait(false);
        await RetainAsync(options.RetainRuleSets, ct).ConfigureAwait(false);
        return activated;
    }

    /// <summary>Keeps the active rule set, the verified ones and the newest <paramref name="retain"/> retired ones; older
    /// retired ones are marked deleted, and table versions no kept rule set names have their rows deleted. Snapshot
    /// blobs are kept (small; audit).</summary>
    public async Task<IReadOnlyList<string>> RetainAsync(int retain, CancellationToken ct)
    {
        var sets = await catalog.ListRuleSetsAsync(ct).ConfigureAwait(false);
        var pointer = await catalog.GetActiveAsync(ct).ConfigureAwait(false);
        var retired = sets.Where(s => s.Status == RuleSetStatus.Retired && s.Id != pointer?.RuleSetId)
            .OrderByDescending(s => s.ActivatedAt ?? s.CreatedAt).ToList();
        var dropped = retired.Skip(Math.Max(0, retain)).ToList();
        foreach (var old in dropped)
            await catalog.UpsertRuleSetAsync(old with { Status = RuleSetStatus.Deleted, LastError = "deleted by retention" }, ct).ConfigureAwait(false);
        var kept = sets.Where(s => s.Status != RuleSetStatus.Deleted && !dropped.Contains(s)).SelectMany(s => s.Tables).Select(t => (t.Table, t.Key)).ToHashSet();
        var deleted = new List<string>();
        foreach (var v in await catalog.ListVersionsAsync(ct).ConfigureAwait(false))
        {
            if (v.Status != VersionStatus.Verified || kept.Contains((v.Table, v.Key))) continue;
            var entities = await edits.DeleteAsync(v.Table, v.Key, ct).ConfigureAwait(false);
            await checkpoints.DeleteAsync(v.Table, v.Key, ct).ConfigureAwait(false);
            await catalog.UpsertVersionAsync(v with { Status = VersionStatus.Deleted, LastError = $"rows deleted by retention ({entities} entities)" }, ct).ConfigureAwait(false);
            deleted.Add($"{v.Table.Name()} {v.Version}");
        }
        return deleted;
    }

    /// <summary>Counts entities across the versions of one publish and reports them with the step.</summary>
    private sealed class Tally(IProgress<PublishProgress>? progress)
    {
        private string _step = "start";
        private long _done;
        private long _planned;

        public void Step(string step)
        {
            _step = step;
            progress?.Report(new PublishProgress(step, _done, _planned));
        }

        public void Plan(string step, long entities)
        {
            _planned += entities;
            Step(step);
        }

        /// <summary>The writer's progress (cumulative for one version) as the publish's cumulative count.</summary>
        public IProgress<int>? Writes()
        {
            if (progress is null) return null;
            var before = _done;
            return new Inline(n => progress.Report(new PublishProgress(_step, before + n, _planned)));
        }

        /// <summary>A version's write finished (entities an earlier run committed are planned but not written again).</summary>
        public void Done(long written) => _done += written;

        private sealed class Inline(Action<int> report) : IProgress<int>
        {
            public void Report(int value) => report(value);
        }
    }

    /// <summary>What each new table version of the drop changed against the version of its table before it (the held
    /// one it replaces, else the latest held one that starts earlier): counts per kind and the 50 most affected codes.
    /// A table's first version is all "added".</summary>
    private static IReadOnlyList<ChangeSummary> Summaries(RuleSet? held, RuleSet drop, IReadOnlyList<TableRef> tables)
    {
        var summaries = new List<ChangeSummary>();
        foreach (var v in drop.Versions)
        {
            if (!tables.Any(t => t.Table == v.Table && t.Key == v.Key)) continue;
            var earlier = held?.VersionsOf(v.Table).Where(h => h.Key != v.Key && h.EffectiveFrom <= v.EffectiveFrom).MaxBy(h => h.EffectiveFrom);
            if (earlier is null)
            {
                summaries.Add(new ChangeSummary(v.Table, "(none)", v.Version, new Dictionary<ChangeKind, int> { [ChangeKind.Added] = v.Rows }, v.Rows, []));
                continue;
            }
            summaries.Add(TableChanges.Between(earlier, v).Summary(50));
        }
        return summaries;
    }

    public static TableRef Ref(TableVersion v) => new(v.Table, v.Key, v.Version, v.EffectiveFrom);

    private static TableVersionEntry Entry(TableVersion v, VersionStatus status, string? sha, DateTimeOffset created, string? error)
        => new(v.Table, v.Key, v.Version, v.EffectiveFrom, v.Rows, v.RowsNeverInForce, v.Sources, status, sha, created, error);

    private static string Name(RuleSetStatus s) => s.ToString().ToLowerInvariant();
}
