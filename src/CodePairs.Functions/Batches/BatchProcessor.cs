using System.Diagnostics;
using System.Text;
using CodePairs.Functions.RuleSets;
using CodePairs.Rules;
using CodePairs.Rules.Batch;
using CodePairs.Storage.Batches;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodePairs.Functions.Batches;

/// <summary>
/// Validates a batch file end to end: plan (one streaming pass over files above <see cref="BatchOptions.ChunkBytes"/>)
/// (a gzip file above it: one pass that inflates it into a copy the chunks read) → per chunk, stream the byte range through the engine's <see cref="BatchReader"/> and <see cref="BatchCheck"/>,
/// staging output blocks with deterministic ids → when every chunk is done, commit the block lists of
/// <c>results.csv</c> and <c>rejected.csv</c>, then write <c>summary.json</c>. Everything is keyed by the input's name
/// and ETag, so a re-delivery, a retried chunk or a rerun after a crash rewrites the same blocks and commits the same
/// lists. A malformed line is a rejected line; only storage faults (and "no rule set loaded yet") throw, so the host
/// retries and finally poisons.
/// </summary>
/// <remarks>Storage is the door's <see cref="BatchStores"/>: the input container, the output container, the chunk queue.</remarks>
public sealed class BatchProcessor(BatchStores stores, IActiveRules rules, IOptions<BatchOptions> options, TimeProvider time, ILogger<BatchProcessor> logger)
{
    private readonly BatchOptions _options = options.Value;
    private readonly IBatchInputs _inputs = stores.Inputs;
    private readonly IBatchOutputs _outputs = stores.Outputs;

    /// <summary>Test hook: called after each staged output part with (chunk, part count).</summary>
    internal Action<int, int>? AfterStage { get; set; }

    /// <summary>Bench hook: where the parallel engine's time goes, summed over the chunks this processor ran.</summary>
    internal BatchTimings? Timings { get; set; }

    /// <summary>Test and chaos hook: called at the protocol's crash points (<see cref="CrashPoints"/>), e.g. to die there.</summary>
    internal Action<string>? AtPoint { get; set; }

    /// <summary>The points between durable steps where a crash is interesting (the kill -9 checks of docs/operations.md).</summary>
    public static readonly string[] CrashPoints = ["planned", "enqueued", "chunk-staged", "chunk-done", "results-committed", "committed"];

    public long MaxSubmitBytes => _options.MaxSubmitBytes;

    /// <summary>
    /// Starts (or resumes) the batch for an input blob: plans it, then runs a one-chunk file inline or enqueues one
    /// message per chunk not yet done. Returns the plan, or null when there is nothing to do (already done, failed, or gone).
    /// </summary>
    /// <param name="container">The blob event's container: only the input container's blobs are batches.</param>
    public async Task<BatchPlan?> StartAsync(string container, string name, CancellationToken cancellationToken)
    {
        if (!IsBatchBlob(container, name)) return null;
        if (await _inputs.GetAsync(name, cancellationToken) is not { } blob)
        {
            Log.BatchInputGone(logger);
            return null;
        }
        var prefix = BatchNames.Prefix(name, blob.ETag);
        await _outputs.CreateIfNotExistsAsync(cancellationToken);
        if (await Exists(prefix + BatchNames.Summary, cancellationToken))
        {
            Log.BatchAlreadyDone(logger, blob.ETag);
            return null;
        }
        BatchPlan? plan;
        try { plan = await ReadJson<BatchPlan>(prefix + BatchNames.Plan, cancellationToken) ?? await PlanAsync(name, blob, cancellationToken); }
        catch (BatchInputChangedException)
        {
            Log.BatchInputChanged(logger, blob.ETag);
            return null; // a newer upload replaced it: its own event starts its own batch
        }
        if (plan is null) return null;
        if (plan.Chunks.Count == 1) await ProcessChunkAsync(plan, 0, cancellationToken);
        else await EnqueueAsync(plan, cancellationToken);
        return plan;
    }

    /// <summary>The event's name becomes a storage path: only a checked batch name in the input container goes on.</summary>
    private bool IsBatchBlob(string container, string name)
    {
        if (!string.Equals(container, _inputs.Container, StringComparison.Ordinal))
        {
            Log.BatchNameRefused(logger, "the blob is not in the batch input container", BatchMessages.NameHash(container + "/" + name));
            return false;
        }
        if (BatchBlobName.TryParse(name, out _, out var problem)) return true;
        Log.BatchNameRefused(logger, problem, BatchMessages.NameHash(name));
        return false;
    }

    /// <summary>Plans a new batch (format, chunks) and writes plan.json (the first one written stands) and status.json.
    /// Null when the file fails for its content while planning (the batch is then marked failed).</summary>
    private async Task<BatchPlan?> PlanAsync(string name, BatchInputBlob blob, CancellationToken cancellationToken)
    {
        var gzip = name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        var format = await BatchInputFormat.DetectAsync(_inputs, name, gzip ? name[..^3] : name, blob.ETag, gzip, cancellationToken);
        var input = new BatchInput(_inputs.Container, name, blob.ETag, blob.Length, format, gzip);
        IReadOnlyList<ChunkPlan> chunks = [new ChunkPlan(0, 0, -1, 1, -1)];
        int? width = null;
        BatchInflatedCopy? inflated = null;
        var prefix = BatchNames.Prefix(name, blob.ETag);
        try
        {
            if (!gzip && blob.Length > _options.ChunkBytes)
            {
                await using var stream = await _inputs.OpenReadAsync(name, blob.ETag, 0, cancellationToken);
                (chunks, width, _) = await ChunkPlanner.PlanAsync(stream, format, _options.ChunkBytes, cancellationToken);
            }
            else if (gzip && await InflatedLengthHintAsync(name, blob, cancellationToken) > _options.ChunkBytes)
                (chunks, width, inflated) = await PlanGzipAsync(name, blob, format, prefix + BatchNames.Inflated, cancellationToken);
        }
        catch (Exception e) when (e is BatchFileException || (gzip && e is InvalidDataException))
        {
            await FailAsync(input, e is BatchFileException ? e.Message : "the file is not valid gzip: " + e.Message, cancellationToken);
            return null;
        }
        var plan = new BatchPlan(BatchNames.Id(name, blob.ETag), input, width, _options.ParsedDefaultSetting(), chunks, time.GetUtcNow()) { Inflated = inflated };
        if (!await _outputs.TryCreateAsync(prefix + BatchNames.Plan, plan, cancellationToken))
            plan = await ReadJson<BatchPlan>(prefix + BatchNames.Plan, cancellationToken) ?? throw new InvalidOperationException("plan.json vanished");
        AtPoint?.Invoke("planned");
        await WriteStatus(plan, BatchState.Running, null, cancellationToken);
        Log.BatchStarted(logger, blob.ETag, blob.Length, plan.Chunks.Count);
        return plan;
    }

    /// <summary>What a gzip file's trailer says it inflates to (one ranged read of its last bytes), or -1 when it is too
    /// short to have one (it then fails as one chunk, with the reader's reason).</summary>
    private async Task<long> InflatedLengthHintAsync(string name, BatchInputBlob blob, CancellationToken cancellationToken)
    {
        if (blob.Length < 18) return -1;
        await using var tail = await _inputs.OpenReadAsync(name, blob.ETag, blob.Length - 4, cancellationToken);
        var bytes = new byte[4];
        await tail.ReadExactlyAsync(bytes, cancellationToken);
        return GzipInputStream.InflatedLengthHint(bytes);
    }

    /// <summary>
    /// A gzip file cannot be cut by byte range, so its planning pass inflates it once (within the gzip caps, and through
    /// the same content check as a plain file's) and writes the inflated bytes as a block blob in the batch's output
    /// folder, while the chunk planner cuts the same bytes. The chunks then read their ranges of that copy, exactly as a
    /// plain file's chunks read theirs; the copy is deleted when the batch commits or fails. A rerun stages the same
    /// blocks and the first commit of the copy stands, so the ETag the plan records never changes under it.
    /// </summary>
    private async Task<(IReadOnlyList<ChunkPlan>, int?, BatchInflatedCopy)> PlanGzipAsync(string name, BatchInputBlob blob, BatchFormat format,
        string copyName, CancellationToken cancellationToken)
    {
        using var copy = _outputs.Stage(copyName, 0, _options.PartBytes, null, cancellationToken);
        await using var raw = await _inputs.OpenReadAsync(name, blob.ETag, 0, cancellationToken);
        var inflating = new GzipInputStream(new ReadAheadStream(raw, 1 << 20, cancellationToken), _options.Gzip());
        await using var stream = new CopyingStream(inflating, copy);
        var (chunks, width, _) = await ChunkPlanner.PlanAsync(stream, format, _options.ChunkBytes, cancellationToken);
        await stream.CopyToAsync(Stream.Null, cancellationToken); // to the end: the trailer is checked there, and nothing is left out of the copy
        copy.Complete();
        var committed = await _outputs.CommitOnceAsync(copyName, Enumerable.Range(0, copy.Parts).Select(p => BatchNames.BlockId(0, p)),
            "application/octet-stream", cancellationToken);
        if (committed.Length != inflating.BytesOut)
            throw new InvalidOperationException($"the inflated copy holds {committed.Length:N0} bytes, not the {inflating.BytesOut:N0} inflated");
        return (chunks, width, new BatchInflatedCopy(copyName, committed.ETag, committed.Length));
    }

    /// <summary>One message per chunk not yet done; then commits, as every chunk may already be done (a re-delivery
    /// after a crash between the last chunk and the commit).</summary>
    private async Task EnqueueAsync(BatchPlan plan, CancellationToken cancellationToken)
    {
        var prefix = BatchNames.Prefix(plan.Input.Name, plan.Input.ETag);
        foreach (var chunk in plan.Chunks)
        {
            if (await Exists(prefix + BatchNames.ChunkDone(chunk.Index), cancellationToken)) continue;
            await stores.Chunks.SendAsync(new ChunkMessage(plan.Input.Container, plan.Input.Name, plan.Input.ETag, chunk.Index), cancellationToken);
        }
        AtPoint?.Invoke("enqueued");
        await TryCommitAsync(plan, cancellationToken);
    }

    /// <summary>Runs one chunk from a queue message.</summary>
    public async Task ProcessChunkMessageAsync(ChunkMessage? message, CancellationToken cancellationToken)
    {
        if (!BatchMessages.TryReadChunk(message, _inputs.Container, out var m, out var reason))
        {
            Log.BatchMessageRefused(logger, stores.Chunks.Name, reason);
            return;
        }
        var plan = await ReadJson<BatchPlan>(BatchNames.Prefix(m.Name, m.ETag) + BatchNames.Plan, cancellationToken);
        if (plan is null) { Log.BatchPlanMissing(logger, m.ETag); return; }
        if (m.Index >= plan.Chunks.Count) { Log.BatchMessageRefused(logger, stores.Chunks.Name, "the chunk index is not in the batch's plan"); return; }
        await ProcessChunkAsync(plan, m.Index, cancellationToken);
    }

    /// <summary>Validates one chunk and stages its output; the last chunk to finish commits the batch.</summary>
    public async Task ProcessChunkAsync(BatchPlan plan, int index, CancellationToken cancellationToken)
    {
        var prefix = BatchNames.Prefix(plan.Input.Name, plan.Input.ETag);
        if (await Exists(prefix + BatchNames.Summary, cancellationToken)) return;
        if (await Exists(prefix + BatchNames.ChunkDone(index), cancellationToken))
        {
            await TryCommitAsync(plan, cancellationToken);
            return;
        }
        var loaded = await rules.GetAsync(cancellationToken)
            ?? throw new InvalidOperationException("no rule set is loaded yet; the host retries the batch");
        var clock = Stopwatch.StartNew();
        ChunkDone done;
        try { done = await CheckChunkAsync(plan, index, loaded.Validator, cancellationToken); }
        catch (Exception e) when (ContentFailure(e, plan.Input) is { } reason)
        {
            await FailAsync(plan.Input, reason, cancellationToken);
            return;
        }
        done = done with { Milliseconds = clock.ElapsedMilliseconds };
        await _outputs.WriteAsync(prefix + BatchNames.ChunkDone(index), done, cancellationToken,
            new Dictionary<string, string> { ["lines"] = done.LinesIn.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Log.BatchChunkDone(logger, plan.Input.ETag, index, done.LinesIn, done.LinesRejected, clock.ElapsedMilliseconds);
        AtPoint?.Invoke("chunk-done");
        await TryCommitAsync(plan, cancellationToken);
    }

    /// <summary>Why a chunk's failure fails the batch for good (its content, or its input replaced), or null for a fault
    /// the host should retry.</summary>
    private static string? ContentFailure(Exception e, BatchInput input) => e switch
    {
        BatchFileException file => file.Message,
        BatchInputChangedException changed => changed.Message,
        InvalidDataException data when input.Gzip => "the file is not valid gzip: " + data.Message,
        _ => null,
    };

    /// <summary>Streams the chunk's byte range through the engine, staging its results and rejected lines.</summary>
    private async Task<ChunkDone> CheckChunkAsync(BatchPlan plan, int index, ClaimValidator validator, CancellationToken cancellationToken)
    {
        var prefix = BatchNames.Prefix(plan.Input.Name, plan.Input.ETag);
        var chunk = plan.Chunks[index];
        var format = plan.Input.Format ?? throw new InvalidOperationException("plan.json has no input format");
        // A planned gzip file's chunks read their ranges of its inflated copy; a one-chunk gzip file is inflated here.
        await using var raw = plan.Inflated is { } copy
            ? await _outputs.OpenReadAsync(copy.Name, copy.ETag, chunk.Offset, cancellationToken)
            : await _inputs.OpenReadAsync(plan.Input.Name, plan.Input.ETag, chunk.Offset, cancellationToken);
        Stream stream = new ReadAheadStream(chunk.Length >= 0 ? new BoundedStream(raw, chunk.Length) : raw, 1 << 20, cancellationToken);
        if (plan.Input.Gzip && plan.Inflated is null) stream = new GzipInputStream(stream, _options.Gzip());
        await using var _ = stream;
        var slice = format == BatchFormat.X12
            ? plan.Chunks.Count == 1 ? null : new BatchSlice(chunk.FirstLine, null) { X12Start = chunk.X12, EndsFile = index == plan.Chunks.Count - 1 }
            : index == 0 ? null : new BatchSlice(chunk.FirstLine, plan.CsvWidth);

        using var results = Staged(prefix + BatchNames.Results, index, cancellationToken);
        using var rejected = Staged(prefix + BatchNames.Rejected, index, cancellationToken);
        if (index == 0)
        {
            results.Write(Utf8.GetBytes(BatchCheck.ResultHeaderFor(format) + "\r\n"));
            rejected.Write(Utf8.GetBytes(BatchCheck.RejectedHeaderFor(format) + "\r\n"));
        }
        BatchSummary summary;
        if (format != BatchFormat.X12 && !string.Equals(_options.Engine, "reference", StringComparison.OrdinalIgnoreCase))
        {
            // Blocks of whole lines parsed, validated and formatted on every core, written in order (issue 12).
            summary = ParallelBatchCheck.Run(stream, format, plan.DefaultSetting, slice, validator, results, rejected, timings: Timings,
                cancellationToken: cancellationToken);
        }
        else
        {
            var reader = new BatchReader(stream, format, plan.DefaultSetting, slice);
            using var resultsText = new StreamWriter(results, Utf8, 1 << 16, leaveOpen: true);
            using var rejectedText = new StreamWriter(rejected, Utf8, 1 << 16, leaveOpen: true);
            summary = BatchCheck.Run(reader, validator, resultsText, rejectedText, cancellationToken: cancellationToken);
        }
        results.Complete();
        rejected.Complete();

        // The invariant, per chunk: every line read is validated or rejected, and the planner's count agrees.
        if (summary.LinesIn != summary.LinesValidated + summary.LinesRejected || (chunk.Lines >= 0 && chunk.Lines != summary.LinesIn))
            throw new InvalidOperationException($"chunk {index}: lines in ({summary.LinesIn}, planned {chunk.Lines}) != validated ({summary.LinesValidated}) + rejected ({summary.LinesRejected})");
        return new ChunkDone(index, summary.LinesIn, summary.LinesValidated, summary.LinesRejected, summary.Claims, summary.ClaimsClean,
            summary.ClaimsWithFindings, summary.FindingsByKind, summary.FindingsBySeverity, summary.TablesUsed, results.Parts, rejected.Parts,
            0, summary.ServiceLines, summary.ServiceLinesNotChecked, summary.FileProblems);
    }

    private static readonly UTF8Encoding Utf8 = new(false);

    /// <summary>Commits the batch when every chunk is done. Idempotent: two finishers commit the same lists.</summary>
    private async Task<bool> TryCommitAsync(BatchPlan plan, CancellationToken cancellationToken)
    {
        var prefix = BatchNames.Prefix(plan.Input.Name, plan.Input.ETag);
        var names = await _outputs.ListAsync(prefix + BatchNames.ChunksFolder, metadata: false, cancellationToken);
        if (names.Count < plan.Chunks.Count) return false;
        var chunks = new List<ChunkDone>(plan.Chunks.Count);
        foreach (var chunk in plan.Chunks)
            chunks.Add(await ReadJson<ChunkDone>(prefix + BatchNames.ChunkDone(chunk.Index), cancellationToken)
                ?? throw new InvalidOperationException($"chunk {chunk.Index} is listed but unreadable"));

        await _outputs.CommitAsync(prefix + BatchNames.Results,
            chunks.SelectMany(c => Enumerable.Range(0, c.ResultParts).Select(p => BatchNames.BlockId(c.Index, p))), CsvContentType, cancellationToken);
        AtPoint?.Invoke("results-committed");
        await _outputs.CommitAsync(prefix + BatchNames.Rejected,
            chunks.SelectMany(c => Enumerable.Range(0, c.RejectedParts).Select(p => BatchNames.BlockId(c.Index, p))), CsvContentType, cancellationToken);

        AtPoint?.Invoke("committed");
        long linesIn = chunks.Sum(c => c.LinesIn), validated = chunks.Sum(c => c.LinesValidated), rejected = chunks.Sum(c => c.LinesRejected);
        if (linesIn != validated + rejected || (plan.LinesIn >= 0 && plan.LinesIn != linesIn))
            throw new InvalidOperationException($"batch: lines in ({linesIn}, planned {plan.LinesIn}) != validated ({validated}) + rejected ({rejected})");
        var completed = time.GetUtcNow();
        var elapsed = (long)(completed - plan.StartedAt).TotalMilliseconds;
        var summary = new BatchSummaryDocument(plan.Id, BatchState.Completed, plan.Input, Outputs(plan.Input),
            linesIn, validated, rejected, chunks.Sum(c => c.Claims), chunks.Sum(c => c.ClaimsClean), chunks.Sum(c => c.ClaimsWithFindings),
            Merge(chunks.Select(c => c.FindingsByKind)), Merge(chunks.Select(c => c.FindingsBySeverity)),
            chunks.SelectMany(c => c.TablesUsed).Distinct().Order(StringComparer.Ordinal).ToArray(),
            chunks.Count, plan.StartedAt, completed, elapsed, chunks.Sum(c => c.Milliseconds),
            elapsed <= 0 ? linesIn * 1000.0 : Math.Round(linesIn * 1000.0 / elapsed, 1));
        if (plan.Input.Format == BatchFormat.X12)
            summary = summary with
            {
                Unit = "claim", ServiceLines = chunks.Sum(c => c.ServiceLines), ServiceLinesNotChecked = chunks.Sum(c => c.ServiceLinesNotChecked),
                FileProblems = chunks.Sum(c => c.FileProblems),
            };
        await _outputs.WriteAsync(prefix + BatchNames.Summary, summary, cancellationToken);
        await WriteStatus(plan, BatchState.Completed, null, cancellationToken, linesIn, validated + rejected);
        if (plan.Inflated is { } copy) await _outputs.DeleteIfExistsAsync(copy.Name, cancellationToken);
        Log.BatchCompleted(logger, plan.Input.ETag, linesIn, validated, rejected, elapsed);
        return true;
    }

    /// <summary>
    /// Records a batch that cannot complete (unreadable file, replaced input, poisoned after retries), once: the first
    /// summary written stands (a late poison message or a second failing chunk does not replace its reason, and a
    /// completed batch is never marked failed). Returns normally, so the trigger's message is done and never comes back.
    /// </summary>
    public async Task FailAsync(BatchInput input, string error, CancellationToken cancellationToken)
    {
        await _outputs.CreateIfNotExistsAsync(cancellationToken);
        var prefix = BatchNames.Prefix(input.Name, input.ETag);
        var now = time.GetUtcNow();
        var summary = new BatchSummaryDocument(BatchNames.Id(input.Name, input.ETag), BatchState.Failed, input, Outputs(input),
            0, 0, 0, 0, 0, 0, new Dictionary<string, int>(), new Dictionary<string, int>(), [], 0, now, now, 0, 0, 0, error);
        if (!await _outputs.TryCreateAsync(prefix + BatchNames.Summary, summary, cancellationToken))
        {
            // Already finished (or failed) — or our own write whose response was lost: either way the first one stands.
            Log.BatchAlreadyDone(logger, input.ETag);
            return;
        }
        await _outputs.WriteAsync(prefix + BatchNames.Status, new BatchStatusView(summary.Id, BatchState.Failed, input, summary.Outputs,
            null, 0, 0, 0, now, error), cancellationToken);
        if (input.Gzip) await _outputs.DeleteIfExistsAsync(prefix + BatchNames.Inflated, cancellationToken); // a planned gzip file's copy
        Log.BatchFailed(logger, input.ETag);
    }

    /// <summary>A batch-chunks message that failed every retry: the batch is marked failed.</summary>
    public async Task RecordChunkPoisonAsync(ChunkMessage? message, CancellationToken cancellationToken)
    {
        if (!BatchMessages.TryReadChunk(message, _inputs.Container, out var m, out var reason))
        {
            Log.BatchMessageRefused(logger, stores.Chunks.Name + "-poison", reason);
            return;
        }
        var plan = await ReadJson<BatchPlan>(BatchNames.Prefix(m.Name, m.ETag) + BatchNames.Plan, cancellationToken);
        await FailAsync(plan?.Input ?? new BatchInput(m.Container, m.Name, m.ETag, 0, null, false),
            $"chunk {m.Index} failed after the host's retries (see the function logs of ValidateBatchChunk)", cancellationToken);
    }

    /// <summary>
    /// A blob-trigger poison message (<c>webjobs-blobtrigger-poison</c>: <c>{"FunctionId","ContainerName","BlobName","ETag",…}</c>)
    /// for <c>ValidateBatchBlob</c>: the batch is marked failed. Other functions' messages are ignored.
    /// </summary>
    public async Task RecordBlobPoisonAsync(BlobPoisonMessage? message, CancellationToken cancellationToken)
    {
        if (!BatchMessages.TryReadBlobPoison(message, _inputs.Container, out var blob, out var reason))
        {
            if (reason.Length > 0) Log.BatchMessageRefused(logger, "webjobs-blobtrigger-poison", reason);
            return;
        }
        var (name, etag) = (blob.Name.Value, blob.ETag.Value);
        var plan = await ReadJson<BatchPlan>(BatchNames.Prefix(name, etag) + BatchNames.Plan, cancellationToken);
        await FailAsync(plan?.Input ?? new BatchInput(_inputs.Container, name, etag, 0, null, false),
            "the batch failed after the host's retries (see the function logs of ValidateBatchBlob)", cancellationToken);
    }

    /// <summary>Streams a body into the input container and records the batch as queued (the BlobCreated event starts it).</summary>
    public async Task<BatchStatusView> SubmitAsync(Stream body, string extension, string contentType, CancellationToken cancellationToken)
    {
        await _inputs.CreateIfNotExistsAsync(cancellationToken);
        var now = time.GetUtcNow();
        var name = $"api/{now:yyyy-MM-dd}/{Guid.NewGuid():N}{extension}";
        var etag = await _inputs.UploadAsync(name, body, contentType, cancellationToken);
        var gzip = extension.EndsWith(".gz", StringComparison.Ordinal);
        var input = new BatchInput(_inputs.Container, name, etag, -1, BatchReader.FormatOf(gzip ? name[..^3] : name), gzip);
        var status = new BatchStatusView(BatchNames.Id(name, etag), BatchState.Queued, input, Outputs(input), null, 0, 0, 0, now);
        await _outputs.CreateIfNotExistsAsync(cancellationToken);
        // False when the status is already there: the name is new, so it is our own (a retry after a lost response, or
        // the batch already started by its BlobCreated event). Either way the batch is queued or further along.
        _ = await _outputs.TryCreateAsync(BatchNames.Prefix(name, etag) + BatchNames.Status, status, cancellationToken);
        return status;
    }

    /// <summary>The batch's status: the summary once written, else status.json plus the chunks done so far. Null if unknown.</summary>
    public Task<BatchStatusView?> GetStatusAsync(string id, CancellationToken cancellationToken)
        => BatchId.TryParse(id, out var parsed, out _) ? GetStatusAsync(parsed, cancellationToken) : Task.FromResult<BatchStatusView?>(null);

    /// <summary>The batch's status (see the string overload); the id is already checked, so the path stays in its folder.</summary>
    public async Task<BatchStatusView?> GetStatusAsync(BatchId id, CancellationToken cancellationToken)
    {
        var prefix = BatchNames.Prefix(id.Name.Value, id.ETag.Value);
        if (await ReadJson<BatchSummaryDocument>(prefix + BatchNames.Summary, cancellationToken) is { } summary)
            return new BatchStatusView(summary.Id, summary.Status, summary.Input, summary.Outputs, summary.LinesIn,
                summary.LinesValidated + summary.LinesRejected, summary.Chunks, summary.Chunks, summary.CompletedAt, summary.Error, summary);
        if (await ReadJson<BatchStatusView>(prefix + BatchNames.Status, cancellationToken) is not { } status) return null;
        long processed = 0;
        var done = 0;
        foreach (var item in await _outputs.ListAsync(prefix + BatchNames.ChunksFolder, metadata: true, cancellationToken))
        {
            done++;
            if (item.Metadata.TryGetValue("lines", out var l) && long.TryParse(l, out var n)) processed += n;
        }
        return status with { LinesProcessed = processed, ChunksDone = done };
    }

    /// <summary>Writes status.json; a finished batch's shows the lines it read and processed, and every chunk done.</summary>
    private async Task WriteStatus(BatchPlan plan, BatchState state, string? error, CancellationToken cancellationToken,
        long? linesIn = null, long linesProcessed = 0)
    {
        var finished = state == BatchState.Completed;
        var status = new BatchStatusView(plan.Id, state, plan.Input, Outputs(plan.Input), linesIn ?? (plan.LinesIn >= 0 ? plan.LinesIn : null),
            linesProcessed, plan.Chunks.Count, finished ? plan.Chunks.Count : 0, time.GetUtcNow(), error);
        await _outputs.WriteAsync(BatchNames.Prefix(plan.Input.Name, plan.Input.ETag) + BatchNames.Status, status, cancellationToken);
    }

    private const string CsvContentType = "text/csv; charset=utf-8";

    private BatchOutputs Outputs(BatchInput input)
    {
        var folder = $"{_outputs.Container}/{BatchNames.Prefix(input.Name, input.ETag)}";
        return new BatchOutputs(folder, folder + BatchNames.Results, folder + BatchNames.Rejected, folder + BatchNames.Summary);
    }

    private StagedBlocks Staged(string blobName, int chunk, CancellationToken cancellationToken)
    {
        var hook = AfterStage;
        var point = AtPoint;
        return _outputs.Stage(blobName, chunk, _options.PartBytes,
            hook is null && point is null ? null : parts => { hook?.Invoke(chunk, parts); if (parts == 2) point?.Invoke("chunk-staged"); }, cancellationToken);
    }

    private Task<bool> Exists(string name, CancellationToken cancellationToken) => _outputs.ExistsAsync(name, cancellationToken);

    private Task<T?> ReadJson<T>(string name, CancellationToken cancellationToken) where T : class => _outputs.ReadAsync<T>(name, cancellationToken);

    private static IReadOnlyDictionary<string, int> Merge(IEnumerable<IReadOnlyDictionary<string, int>> parts)
    {
        var merged = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var part in parts)
            foreach (var (k, v) in part) merged[k] = merged.GetValueOrDefault(k) + v;
        return merged;
    }
}
