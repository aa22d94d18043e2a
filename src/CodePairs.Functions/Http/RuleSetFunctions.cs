using CodePairs.Functions.RuleSets;
using CodePairs.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace CodePairs.Functions.Http;

/// <summary>GET /api/v1/rulesets and /api/v1/rulesets/active: the catalogue (per table, the versions held and the one in
/// force today; the rule sets and the active one) and what this worker serves.</summary>
public sealed class RuleSetFunctions(IRuleCatalog catalog, IActiveRules rules, TimeProvider clock)
{
    [Function("ListRuleSets")]
    public async Task<Ok<CatalogView>> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/rulesets")] HttpRequest request, CancellationToken cancellationToken)
        => TypedResults.Ok(await CatalogViews.BuildAsync(catalog, Today, cancellationToken));

    [Function("ActiveRuleSet")]
    public async Task<Results<Ok<ActiveRuleSetView>, ProblemHttpResult>> Active(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/rulesets/active")] HttpRequest request, CancellationToken cancellationToken)
    {
        var view = await CatalogViews.BuildAsync(catalog, Today, cancellationToken);
        if (view.Active is null) return Problems.NotFound("No active rule set", "No rule set has been activated yet: publish one (see the README).");
        var loaded = rules.Current;
        return TypedResults.Ok(new ActiveRuleSetView(view.Active, view.RuleSets.FirstOrDefault(s => s.Id == view.Active), view.Date,
            view.Tables.Where(t => t.InForce is not null).Select(t => t.InForce!).ToArray(), loaded?.RuleSetId, loaded?.LoadedAt));
    }

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
}
