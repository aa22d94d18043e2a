using Microsoft.Extensions.Logging;

namespace CodePairs.Functions;

/// <summary>Every log line CodePairs writes. Counts, release ids and reasons only: never claim ids, dates of
/// service, codes of a claim or request bodies (HIPAA Safe Harbor identifiers).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Validated a claim: {Lines} lines, {Findings} findings, clean {Clean}, rule set {RuleSet}")]
    public static partial void ClaimValidated(ILogger logger, int lines, int findings, bool clean, string ruleSet);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Validated a batch: {Claims} claims, {Invalid} invalid, {Clean} clean, {Findings} findings, rule set {RuleSet}")]
    public static partial void ClaimBatchValidated(ILogger logger, int claims, int invalid, int clean, int findings, string ruleSet);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Rejected a request with {Status}: {Problem}")]
    public static partial void RequestRejected(ILogger logger, int status, string problem);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "No rule set is loaded; answered 503")]
    public static partial void NoRuleSet(ILogger logger);

    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "Loaded rule set {RuleSet}: {Versions} table versions, {Codes} codes, {Milliseconds} ms")]
    public static partial void RuleSetLoaded(ILogger logger, string ruleSet, int versions, int codes, long milliseconds);

    [LoggerMessage(EventId = 111, Level = LogLevel.Error, Message = "Could not load rule set {RuleSet}; the previous set keeps serving")]
    public static partial void RuleSetLoadFailed(ILogger logger, Exception exception, string ruleSet);

    [LoggerMessage(EventId = 112, Level = LogLevel.Warning, Message = "No active rule-set pointer in storage yet")]
    public static partial void NoActivePointer(ILogger logger);

    [LoggerMessage(EventId = 113, Level = LogLevel.Warning, Message = "Checking the active rule-set pointer failed")]
    public static partial void PointerCheckFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 114, Level = LogLevel.Information, Message = "Loading the active rule set in the background at the worker's start")]
    public static partial void RuleSetWarmingUp(ILogger logger);

    [LoggerMessage(EventId = 115, Level = LogLevel.Warning, Message = "A request waited {Seconds} s for the rule set to load; answered 503")]
    public static partial void RuleSetWaitTimedOut(ILogger logger, double seconds);

    [LoggerMessage(EventId = 120, Level = LogLevel.Information, Message = "Rule refresh not started: a run ({Trigger}, step {Step}) holds the lease")]
    public static partial void RefreshAlreadyRunning(ILogger logger, string trigger, string step);

    [LoggerMessage(EventId = 121, Level = LogLevel.Information, Message = "Rule refresh finished: {Summary} ({Failed} failed)")]
    public static partial void RefreshFinished(ILogger logger, string summary, int failed);

    [LoggerMessage(EventId = 122, Level = LogLevel.Error, Message = "Rule refresh stopped during {Step}; the next run resumes")]
    public static partial void RefreshFailed(ILogger logger, Exception exception, string step);

    [LoggerMessage(EventId = 123, Level = LogLevel.Information, Message = "Rule set {RuleSet} is now active")]
    public static partial void RuleSetActivated(ILogger logger, string ruleSet);

    [LoggerMessage(EventId = 124, Level = LogLevel.Information, Message = "Retention deleted the rows of {Versions}")]
    public static partial void VersionsDeleted(ILogger logger, string versions);

    [LoggerMessage(EventId = 125, Level = LogLevel.Warning, Message = "Rule refresh rejected candidate {Candidate}: {Reason}")]
    public static partial void CandidateRejected(ILogger logger, string candidate, string reason);
    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Batch started: etag {ETag}, {Bytes} bytes, {Chunks} chunks")]
    public static partial void BatchStarted(ILogger logger, string etag, long bytes, int chunks);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Batch chunk done: etag {ETag}, chunk {Chunk}, {Lines} lines, {Rejected} rejected, {Milliseconds} ms")]
    public static partial void BatchChunkDone(ILogger logger, string etag, int chunk, long lines, long rejected, long milliseconds);

    [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "Batch completed: etag {ETag}, {Lines} lines in = {Validated} validated + {Rejected} rejected, {Milliseconds} ms")]
    public static partial void BatchCompleted(ILogger logger, string etag, long lines, long validated, long rejected, long milliseconds);

    [LoggerMessage(EventId = 203, Level = LogLevel.Information, Message = "Batch already done (re-delivery): etag {ETag}")]
    public static partial void BatchAlreadyDone(ILogger logger, string etag);

    /// <summary>The reason itself goes to the batch's summary.json only: a header error quotes the file's first line.</summary>
    [LoggerMessage(EventId = 204, Level = LogLevel.Warning, Message = "Batch failed: etag {ETag}; the reason is in its summary.json")]
    public static partial void BatchFailed(ILogger logger, string etag);

    [LoggerMessage(EventId = 205, Level = LogLevel.Warning, Message = "Batch input blob is gone; nothing to do")]
    public static partial void BatchInputGone(ILogger logger);

    [LoggerMessage(EventId = 206, Level = LogLevel.Warning, Message = "Batch input changed while planning (etag {ETag}); the newer upload runs as its own batch")]
    public static partial void BatchInputChanged(ILogger logger, string etag);

    [LoggerMessage(EventId = 207, Level = LogLevel.Warning, Message = "Batch chunk message without a plan (etag {ETag}); ignored")]
    public static partial void BatchPlanMissing(ILogger logger, string etag);

    /// <summary>The name is never logged (it may carry patient data): the reason says what is wrong, the hash which blob.</summary>
    [LoggerMessage(EventId = 208, Level = LogLevel.Warning, Message = "Batch blob refused: {Reason} (name sha256 {NameHash}); nothing is read or written for it")]
    public static partial void BatchNameRefused(ILogger logger, string reason, string nameHash);

    [LoggerMessage(EventId = 209, Level = LogLevel.Warning, Message = "Message on queue {Queue} refused: {Reason}; dropped")]
    public static partial void BatchMessageRefused(ILogger logger, string queue, string reason);

    [LoggerMessage(EventId = 500, Level = LogLevel.Error, Message = "Unhandled exception in function {Function}; answered 500 (trace {TraceId})")]
    public static partial void Unhandled(ILogger logger, Exception exception, string function, string? traceId);
}
