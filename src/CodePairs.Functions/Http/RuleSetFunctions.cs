using CodePairs.Functions.Rules;
using CodePairs.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace CodePairs.Functions.Http;

/// <summary>GET /api/v1/rulesets and /api/v1/rulesets/active: the release catalogue and what this worker serves.</summary>
public sealed class RuleSetFunctions(IRuleCatalog catalog, IActiveRules rules)
{
    [Function("ListRuleSets")]
    public async Task<IResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/rulesets")] HttpRequest request, CancellationToken cancellationToken)
    {
        var releases = await catalog.ListAsync(cancellationToken);
        var pointer = await catalog.GetActiveAsync(cancellationToken);
        return TypedResults.Ok(new RuleSetList(releases.OrderByDescending(r => r.EffectiveFrom).Select(View).ToArray(), pointer?.ReleaseIds ?? []));
    }

    [Function("ActiveRuleSet")]
    public async Task<IResult> Active(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/rulesets/active")] HttpRequest request, CancellationToken cancellationToken)
    {
        var pointer = await catalog.GetActiveAsync(cancellationToken);
        if (pointer is null) return Problems.NotFound("No active rule set", "No release has been activated yet: publish one (see the README).");
        var entries = new List<ReleaseView>();
        foreach (var id in pointer.ReleaseIds)
            if (await catalog.GetAsync(id, cancellationToken) is { } entry) entries.Add(View(entry));
        var loaded = rules.Current;
        return TypedResults.Ok(new ActiveRuleSetView(pointer.ReleaseIds, pointer.UpdatedAt, entries,
            loaded?.ReleaseIds ?? [], loaded?.LoadedAt));
    }

    private static ReleaseView View(ReleaseEntry e) => new(e.Id, e.EffectiveFrom, e.Status.ToString().ToLowerInvariant(),
        e.Components.Select(c => new TableView(c.Table, c.Version, c.Rows, c.EffectiveFrom)).ToArray(),
        e.SnapshotSha256, e.CreatedAt, e.ActivatedAt, e.LastError);
}

public sealed record TableView(string Table, string Version, int Rows, DateOnly EffectiveFrom);

public sealed record ReleaseView(string Id, DateOnly EffectiveFrom, string Status, IReadOnlyList<TableView> Tables, string? SnapshotSha256,
    DateTimeOffset CreatedAt, DateTimeOffset? ActivatedAt, string? LastError);

public sealed record RuleSetList(IReadOnlyList<ReleaseView> Releases, IReadOnlyList<string> Active);

/// <param name="Releases">The active pointer's releases.</param>
/// <param name="ServedByThisWorker">What this worker has loaded (it follows the pointer within the poll interval).</param>
public sealed record ActiveRuleSetView(IReadOnlyList<string> Releases, DateTimeOffset UpdatedAt, IReadOnlyList<ReleaseView> Details,
    IReadOnlyList<string> ServedByThisWorker, DateTimeOffset? LoadedAt);
