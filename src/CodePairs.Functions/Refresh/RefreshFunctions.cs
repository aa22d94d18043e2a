using CodePairs.Functions.Http;
using CodePairs.Functions.Rules;
using CodePairs.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace CodePairs.Functions.Refresh;

/// <summary>
/// The rule refresh's doors: the timer (<c>%RULES_REFRESH_SCHEDULE%</c>), an admin start, the job's status, and an
/// admin rollback. Each only binds and calls <see cref="RefreshJob"/> or <see cref="ReleasePublisher"/>.
/// </summary>
public sealed class RefreshFunctions(RefreshJob job, ReleasePublisher publisher, RuleSetCache cache, ILogger<RefreshFunctions> logger)
{
    // No retry attribute: timers are not retried by default and need not be; a failed run leaves checkpoints and the
    // next tick (or an admin start) resumes from them.
    [Function("RefreshRules")]
    public async Task Timer([TimerTrigger("%RULES_REFRESH_SCHEDULE%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var outcome = await job.RunAsync(new RefreshRequest("timer"), cancellationToken);
        if (outcome.Started && outcome.Status.State == "failed")
            throw new InvalidOperationException($"rule refresh failed: {outcome.Status.LastError}"); // shows as a failed invocation
    }

    [Function("StartRefresh")]
    public async Task<IResult> Start(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "v1/rulesets/refresh")] HttpRequest request, CancellationToken cancellationToken)
    {
        var release = request.Query["release"].FirstOrDefault();
        var (started, status, _) = await job.StartAsync(new RefreshRequest("admin", string.IsNullOrWhiteSpace(release) ? null : release), cancellationToken);
        if (!started)
            return Problems.Conflict("Refresh already running",
                $"A refresh started by {status.Trigger} at {status.StartedAt:u} is at step '{status.Step}'; follow it at GET /api/v1/rulesets/refresh.");
        return TypedResults.Accepted("/api/v1/rulesets/refresh", status);
    }

    [Function("RefreshStatus")]
    public async Task<IResult> Status(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/rulesets/refresh")] HttpRequest request, CancellationToken cancellationToken)
        => TypedResults.Ok(await job.StatusAsync(cancellationToken));

    [Function("ActivateRelease")]
    public async Task<IResult> Activate(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "v1/rulesets/{id}/activate")] HttpRequest request, string id,
        CancellationToken cancellationToken)
    {
        try
        {
            RuleEditsLayout.ValidateReleaseId(id);
            var active = await publisher.ActivateAsync(id, replace: true, cancellationToken);
            await cache.RefreshAsync(force: true, cancellationToken);
            Log.ReleaseActivated(logger, id);
            return TypedResults.Ok(new ActivationView(active));
        }
        catch (ArgumentException e)
        {
            return Problems.NotFound("Unknown release", e.Message);
        }
        catch (InvalidOperationException e)
        {
            return Problems.Conflict("Release cannot be activated", e.Message);
        }
        catch (PointerConflictException e)
        {
            return Problems.Conflict("Active pointer moved", e.Message);
        }
    }
}

public sealed record ActivationView(IReadOnlyList<string> Active);
