using CodePairs.Functions.Http;
using CodePairs.Functions.RuleSets;
using CodePairs.Rules;
using CodePairs.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodePairs.Functions.Refresh;

/// <summary>
/// The rule refresh's doors: the timer (<c>%RULES_REFRESH_SCHEDULE%</c>), an admin start, the job's status, and an
/// admin rollback. Each only binds and calls <see cref="RefreshJob"/> or <see cref="ReleasePublisher"/>.
/// </summary>
public sealed class RefreshFunctions(RefreshJob job, RulePublisher publisher, IOptions<RefreshOptions> options, RuleSetCache cache, ILogger<RefreshFunctions> logger)
{
    // No retry attribute: timers are not retried by default and need not be; a failed run leaves checkpoints and the
    // next tick (or an admin start) resumes from them.
    [Function("RefreshRules")]
    public async Task Timer([TimerTrigger("%RULES_REFRESH_SCHEDULE%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var outcome = await job.RunAsync(new RefreshRequest("timer"), cancellationToken);
        if (outcome.Started && outcome.Status.State == RefreshState.Failed)
            throw new InvalidOperationException($"rule refresh failed: {outcome.Status.LastError}"); // shows as a failed invocation
    }

    [Function("StartRefresh")]
    public async Task<IResult> Start(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "v1/rulesets/refresh")] HttpRequest request, CancellationToken cancellationToken)
    {
        // ?drop= names one drop folder to run (and retry, if its files failed before); ?release= is its older spelling.
        var drop = request.Query["drop"].FirstOrDefault() ?? request.Query["release"].FirstOrDefault();
        if (drop is not null && !DropContainerSource.IsFolderName(drop))
            return Problems.BadRequest("Invalid drop name", "A drop is a folder of the rules-incoming container: 1-63 letters, digits, '-', '_' or '.', not '.' or '..'.",
                [new InputError(null, "drop", "not a drop folder name")]);
        var (started, status, _) = await job.StartAsync(new RefreshRequest("admin", string.IsNullOrWhiteSpace(drop) ? null : drop), cancellationToken);
        if (!started)
            return Problems.Conflict("Refresh already running",
                $"A refresh started by {status.Trigger} at {status.StartedAt:u} is at step '{status.Step}'; follow it at GET /api/v1/rulesets/refresh.");
        return TypedResults.Accepted("/api/v1/rulesets/refresh", status);
    }

    [Function("RefreshStatus")]
    public async Task<IResult> Status(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/rulesets/refresh")] HttpRequest request, CancellationToken cancellationToken)
        => TypedResults.Ok(await job.StatusAsync(cancellationToken));

    [Function("ActivateRuleSet")]
    public async Task<Results<Ok<ActivationView>, ProblemHttpResult>> Activate(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "v1/rulesets/{id}/activate")] HttpRequest request, string id,
        CancellationToken cancellationToken)
    {
        if (!RuleEditsLayout.IsRuleSetId(id))
            return Problems.BadRequest("Invalid rule set id", "A rule set id is 'rs-' and 12 hex digits, as GET /api/v1/rulesets lists them.",
                [new InputError(null, "id", "not a rule set id")]);
        var outcome = await publisher.TryActivateAsync(id, options.Value.Publish(), cancellationToken);
        switch (outcome.Refusal)
        {
            case ActivationRefusal.NotFound: return Problems.NotFound("Unknown rule set", outcome.Reason!);
            case ActivationRefusal.NotActivatable: return Problems.Conflict("Rule set cannot be activated", outcome.Reason!);
            case ActivationRefusal.PointerMoved: return Problems.Conflict("Active pointer moved", outcome.Reason!);
        }
        await cache.RefreshAsync(force: true, cancellationToken);
        Log.RuleSetActivated(logger, id);
        return TypedResults.Ok(new ActivationView(outcome.Entry!.Id, outcome.Entry.Tables));
    }
}

public sealed record ActivationView(string Active, IReadOnlyList<TableRef> Tables);
