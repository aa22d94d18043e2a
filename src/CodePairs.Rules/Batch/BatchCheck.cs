using System.Text;
using CodePairs.Rules.X12;

namespace CodePairs.Rules.Batch;

/// <summary>What a batch run saw. <c>LinesIn == LinesValidated + LinesRejected</c> always holds; for an 837 the unit is
/// the claim (<see cref="Unit"/> <c>claim</c>): claims in = validated + rejected.</summary>
public sealed record BatchSummary
{
    /// <summary><c>line</c> (CSV, JSON Lines) or <c>claim</c> (837): what LinesIn, LinesValidated and LinesRejected count.</summary>
    public string Unit { get; init; } = "line";
    /// <summary>837: service lines (loops 2400) read, and those of validated claims that were not checked (no HC code).</summary>
    public int ServiceLines { get; init; }
    public int ServiceLinesNotChecked { get; init; }
    /// <summary>Located problems outside any claim (837 envelope errors, stray segments), listed with the rejections.</summary>
    public int FileProblems { get; init; }
    public int Claims { get; init; }
    public int ClaimsClean { get; init; }
    public int ClaimsWithFindings { get; init; }
    public int LinesIn { get; init; }
    public int LinesValidated { get; init; }
    public int LinesRejected { get; init; }
    /// <summary>Findings written (warning or worse, plus info when asked), by kind (ptp, addOn, mue, invalidInput).</summary>
    public IReadOnlyDictionary<string, int> FindingsByKind { get; init; } = new Dictionary<string, int>();
    public IReadOnlyDictionary<string, int> FindingsBySeverity { get; init; } = new Dictionary<string, int>();
    /// <summary>The table versions the validated claims were judged by (<c>ptp-practitioner v322r0</c>; sorted, distinct).</summary>
    public IReadOnlyList<string> TablesUsed { get; init; } = [];

    /// <summary>0 = every claim clean and no line rejected; 1 = findings, nothing rejected; 2 = some lines (837: claims)
    /// rejected or a problem with the file's envelopes.</summary>
    public int ExitCode => LinesRejected > 0 || FileProblems > 0 ? 2 : ClaimsWithFindings > 0 ? 1 : 0;

    public override string ToString()
    {
        var sb = new StringBuilder();
        if (Unit == "claim")
        {
            sb.Append($"claims: {LinesIn:N0} in = {LinesValidated:N0} validated + {LinesRejected:N0} rejected; validated: {ClaimsClean:N0} clean, {ClaimsWithFindings:N0} with findings\n");
            sb.Append($"service lines: {ServiceLines:N0} read; {ServiceLinesNotChecked:N0} of validated claims not checked (no HC code)\n");
            sb.Append($"envelope problems: {FileProblems:N0}\n");
        }
        else
        {
            sb.Append($"claims: {Claims:N0} ({ClaimsClean:N0} clean, {ClaimsWithFindings:N0} with findings)\n");
            sb.Append($"lines: {LinesIn:N0} in = {LinesValidated:N0} validated + {LinesRejected:N0} rejected\n");
        }
        sb.Append("findings by kind: ").Append(FindingsByKind.Count == 0 ? "none" : string.Join(", ", FindingsByKind.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value:N0}"))).Append('\n');
        sb.Append("findings by severity: ").Append(FindingsBySeverity.Count == 0 ? "none" : string.Join(", ", FindingsBySeverity.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value:N0}")));
        return sb.ToString();
    }
}

/// <summary>
/// Checks a batch file against a validator and writes one result row per finding (warning or worse; info too when
/// asked), one <c>clean</c> row per clean claim and one <c>rejected</c> row per rejected input line:
/// <c>claim_id,input_lines,status,severity,kind,rule,claim_lines,denied_lines,codes,source,message</c> (source: the table
/// version or pack a finding rests on, <c>ptp-practitioner v322r0</c>; for a clean claim, the table versions it was judged by;
/// an 837 adds
/// <c>claim_segment</c> after the claim id, its <c>line_segments</c> are SV1/SV2 segment numbers, and a line that was
/// read but not checked gets a <c>not-checked</c> row).
/// Streaming: one claim in memory at a time.
/// </summary>
public static class BatchCheck
{
    public const string ResultHeader = "claim_id,input_lines,status,severity,kind,rule,claim_lines,denied_lines,codes,source,message";

    /// <summary>The header of the separate rejected-lines file (see the overload with a <c>rejected</c> writer).</summary>
    public const string RejectedHeader = "line,claim_id,reason";

    /// <summary>The header of <c>results.csv</c> for a format (an 837's rows carry the claim's segment too).</summary>
    public static string ResultHeaderFor(BatchFormat format) => format == BatchFormat.X12 ? X12Results.ResultHeader : ResultHeader;

    public static string RejectedHeaderFor(BatchFormat format) => format == BatchFormat.X12 ? X12Results.RejectedHeader : RejectedHeader;

    public static BatchSummary Run(Stream input, BatchFormat format, ClaimValidator validator, TextWriter results,
        Setting defaultSetting = Setting.Practitioner, bool includeInfo = false, IProgress<int>? progress = null)
    {
        results.Write(ResultHeaderFor(format));
        results.Write("\r\n");
        return Run(new BatchReader(input, format, defaultSetting), validator, results, null, includeInfo, progress, CancellationToken.None);
    }

    /// <summary>
    /// Checks what <paramref name="reader"/> yields (a whole file or one slice of it) and writes rows without headers:
    /// result rows to <paramref name="results"/>; rejected lines as <c>line,claim_id,reason</c> rows to
    /// <paramref name="rejected"/> when given, else as <c>rejected</c> result rows. Cancellation is checked per chunk
    /// of claims.
    /// </summary>
    public static BatchSummary Run(BatchReader reader, ClaimValidator validator, TextWriter results, TextWriter? rejected,
        bool includeInfo = false, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        var x12 = reader.Format == BatchFormat.X12;
        var tally = new BatchTally();
        var lastReport = 0;
        // Three stages on their own threads, in order: parse, validate, write. The validator is thread-safe and each
        // stage hands whole chunks on, so a 2-core machine overlaps parsing with validation.
        foreach (var chunk in Pipeline(reader, validator, cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var k = 0; k < chunk.Items.Count; k++)
                WriteItem(chunk.Items[k], chunk.Results[k], results, rejected, x12, includeInfo, tally);
            if (progress is not null && chunk.LinesRead - lastReport >= 100_000)
            {
                lastReport = chunk.LinesRead;
                progress.Report(chunk.LinesRead);
            }
        }
        results.Flush();
        rejected?.Flush();
        return tally.Summary(x12, reader.LinesRead, reader.ServiceLinesRead);
    }

    /// <summary>
    /// Writes the rows of one item (a claim with its validation result, a rejected line, a file problem) and counts
    /// them in <paramref name="tally"/>: the one formatting both batch engines use, so their output is the same bytes.
    /// </summary>
    internal static void WriteItem(BatchItem item, ValidationResult? result, TextWriter results, TextWriter? rejected, bool x12, bool includeInfo,
        BatchTally tally)
    {
        switch (item)
        {
            case BatchProblem p when rejected is not null:
                tally.Problems++;
                Rejected(rejected, x12, p.Line, null, null, p.Reason);
                break;
            case BatchProblem p:
                tally.Problems++;
                Row(results, x12, null, null, Number(p.Line), "rejected", "", "", "", "", "", "", "", p.Reason);
                break;
            case BatchRejection r when rejected is not null:
                tally.RejectedLines++;
                Rejected(rejected, x12, r.Line, r.ClaimId, r.ClaimSegment, r.Reason);
                break;
            case BatchRejection r:
                tally.RejectedLines++;
                Row(results, x12, r.ClaimId, r.ClaimSegment, Number(r.Line), "rejected", "", "", "", "", "", "", "", r.Reason);
                break;
            case BatchClaim c:
                tally.Claims++;
                // Input lines, not claim lines: a JSON line holds a whole claim; an 837 counts claims.
                tally.Validated += c.X12 is null ? InputLineCount(c) : 1;
                var info = c.X12;
                ArgumentNullException.ThrowIfNull(result);
                foreach (var source in result.TablesUsed) tally.TablesUsed.Add(source.ToString());
                foreach (var f in result.Findings)
                {
                    if (f.Severity < Severity.Warning && !includeInfo) continue;
                    var kind = KindName(f.Kind);
                    var severity = SeverityName(f.Severity);
                    tally.ByKind[kind] = tally.ByKind.GetValueOrDefault(kind) + 1;
                    tally.BySeverity[severity] = tally.BySeverity.GetValueOrDefault(severity) + 1;
                    Row(results, x12, c.Claim.ClaimId, info?.ClaimSegment, info is null ? InputLines(c, f.Lines) : X12Results.LineSegments(c.InputLines, f.Lines),
                        "finding", severity, kind, f.Rule,
                        info is null ? string.Join(';', f.Lines) : X12Results.ClaimLines(info, f.Lines),
                        info is null ? string.Join(';', f.DeniedLines) : X12Results.ClaimLines(info, f.DeniedLines),
                        string.Join(';', f.Codes), f.Source?.ToString() ?? "", info is null ? f.Message : X12Results.Message(info, c.Claim, f));
                }
                if (result.Clean)
                {
                    tally.Clean++;
                    Row(results, x12, c.Claim.ClaimId, info?.ClaimSegment, InputLines(c, null), "clean", "", "", "", "", "", "",
                        string.Join(';', result.TablesUsed.Select(s => s.ToString())), info is null ? "" : X12Results.CleanMessage(info));
                }
                else tally.WithFindings++;
                if (info is not null)
                {
                    // A service line that was read but not checked is a row of its own: never a silent pass.
                    foreach (var n in info.NotChecked)
                        Row(results, x12, c.Claim.ClaimId, info.ClaimSegment, Number(n.Segment), "not-checked", "", "", "", Number(n.Line), "", n.Code, "", n.Reason);
                    tally.NotChecked += info.NotChecked.Count;
                }
                break;
        }
    }

    private sealed record Chunk(List<BatchItem> Items, int LinesRead)
    {
        public ValidationResult?[] Results { get; set; } = [];
    }

    // Claims queued between the stages (with their lines, results and findings) outlive gen-0 collections: 1,024 x 8
    // per queue promoted most of them to gen 1 and 2 (a second of GC pauses per million 837 service lines on one core).
    // 256 x 4 keeps the stages overlapped on two cores with a small live set.
    private const int ChunkSize = 256;
    private const int QueuedChunks = 4;

    private static IEnumerable<Chunk> Pipeline(BatchReader reader, ClaimValidator validator, CancellationToken cancellationToken)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var parsed = new System.Collections.Concurrent.BlockingCollection<Chunk>(QueuedChunks);
        using var checkedChunks = new System.Collections.Concurrent.BlockingCollection<Chunk>(QueuedChunks);
        var token = cancel.Token;
        // The stages block on their queues for the whole run: on threads of their own, not the pool's. On pool threads a
        // one-core host (one pool thread to start with) waited for the pool to grow, about a second per run.
        const TaskCreationOptions Stage = TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach;
        var read = Task.Factory.StartNew(() =>
        {
            try
            {
                var items = new List<BatchItem>(ChunkSize);
                foreach (var item in reader.Read())
                {
                    items.Add(item);
                    if (items.Count < ChunkSize) continue;
                    parsed.Add(new Chunk(items, reader.LinesRead), token);
                    items = new List<BatchItem>(ChunkSize);
                }
                if (items.Count > 0) parsed.Add(new Chunk(items, reader.LinesRead), token);
            }
            finally { parsed.CompleteAdding(); }
        }, token, Stage, TaskScheduler.Default);
        var validate = Task.Factory.StartNew(() =>
        {
            try
            {
                foreach (var chunk in parsed.GetConsumingEnumerable(token))
                {
                    var results = new ValidationResult?[chunk.Items.Count];
                    // Validation is the costliest stage: split each chunk over the cores (order is kept by index).
                    var parts = Math.Clamp(Environment.ProcessorCount, 1, 4);
                    void Part(int part)
                    {
                        for (var k = part; k < results.Length; k += parts)
                            if (chunk.Items[k] is BatchClaim c) results[k] = validator.Validate(c.Claim);
                    }
                    if (parts == 1) Part(0);
                    else Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts, CancellationToken = token }, Part);
                    chunk.Results = results;
                    checkedChunks.Add(chunk, token);
                }
            }
            finally { checkedChunks.CompleteAdding(); }
        }, token, Stage, TaskScheduler.Default);
        var completed = false;
        try
        {
            foreach (var chunk in checkedChunks.GetConsumingEnumerable()) yield return chunk;
            completed = true;
        }
        finally
        {
            if (!completed) cancel.Cancel(); // the consumer stopped early or threw: release the stages
            try { Task.WaitAll(read, validate); }
            catch (AggregateException) { } // rethrown below, unwrapped, when the stages themselves failed
        }
        // Surface the reader's own exception (e.g. a wrong header) rather than an AggregateException.
        read.GetAwaiter().GetResult();
        validate.GetAwaiter().GetResult();
    }

    private static int InputLineCount(BatchClaim c)
    {
        var count = 0;
        var last = -1;
        foreach (var line in c.InputLines)
            if (line != last) { count++; last = line; }
        return count;
    }

    private static string KindName(FindingKind kind) => kind switch
    {
        FindingKind.Ptp => "ptp", FindingKind.AddOn => "addOn", FindingKind.Mue => "mue", _ => "invalidInput",
    };

    private static string SeverityName(Severity severity) => severity switch
    {
        Severity.Info => "info", Severity.Warning => "warning", Severity.Bypassable => "bypassable", _ => "deny",
    };

    private static string InputLines(BatchClaim c, IReadOnlyList<int>? claimLines)
    {
        if (claimLines is null)
        {
            var first = c.InputLines[0];
            var last = c.InputLines[^1];
            return first == last ? first.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{first}-{last}";
        }
        return string.Join(';', claimLines.Select(l => c.InputLines[l - 1]).Distinct());
    }

    private static string Number(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A <c>rejected.csv</c> row: <c>line,claim_id,reason</c>, or for an 837 <c>segment,claim_id,claim_segment,reason</c>.</summary>
    private static void Rejected(TextWriter w, bool x12, int line, string? claimId, int? claimSegment, string reason)
    {
        w.Write(Number(line));
        w.Write(',');
        Field(w, claimId ?? "");
        w.Write(',');
        if (x12)
        {
            if (claimSegment is { } s) w.Write(Number(s));
            w.Write(',');
        }
        Field(w, reason);
        w.Write("\r\n");
    }

    private static void Row(TextWriter w, bool x12, string? claimId, int? claimSegment, string inputLines, string status, string severity, string kind,
        string rule, string claimLines, string deniedLines, string codes, string source, string message)
    {
        Field(w, claimId ?? ""); w.Write(',');
        if (x12)
        {
            if (claimSegment is { } s) w.Write(Number(s));
            w.Write(',');
        }
        w.Write(inputLines); w.Write(',');
        w.Write(status); w.Write(',');
        w.Write(severity); w.Write(',');
        w.Write(kind); w.Write(',');
        w.Write(rule); w.Write(',');
        w.Write(claimLines); w.Write(',');
        w.Write(deniedLines); w.Write(',');
        w.Write(codes); w.Write(',');
        Field(w, source); w.Write(',');
        Field(w, message);
        w.Write("\r\n");
    }

    private static void Field(TextWriter w, string value)
    {
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0) { w.Write(value); return; }
        w.Write('"');
        w.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
        w.Write('"');
    }
}

/// <summary>What the rows written so far add up to (one per run, or one per block of the parallel engine, merged in order).</summary>
internal sealed class BatchTally
{
    public int Claims, Clean, WithFindings, Validated, RejectedLines, Problems, NotChecked;
    public readonly Dictionary<string, int> ByKind = [];
    public readonly Dictionary<string, int> BySeverity = [];
    public readonly SortedSet<string> TablesUsed = new(StringComparer.Ordinal);

    public void Add(BatchTally other)
    {
        Claims += other.Claims; Clean += other.Clean; WithFindings += other.WithFindings; Validated += other.Validated;
        RejectedLines += other.RejectedLines; Problems += other.Problems; NotChecked += other.NotChecked;
        foreach (var (k, v) in other.ByKind) ByKind[k] = ByKind.GetValueOrDefault(k) + v;
        foreach (var (k, v) in other.BySeverity) BySeverity[k] = BySeverity.GetValueOrDefault(k) + v;
        TablesUsed.UnionWith(other.TablesUsed);
    }

    public BatchSummary Summary(bool x12, int linesIn, int serviceLines) => new()
    {
        Unit = x12 ? "claim" : "line", ServiceLines = serviceLines, ServiceLinesNotChecked = NotChecked, FileProblems = Problems,
        Claims = Claims, ClaimsClean = Clean, ClaimsWithFindings = WithFindings,
        LinesIn = linesIn, LinesValidated = Validated, LinesRejected = RejectedLines,
        FindingsByKind = ByKind, FindingsBySeverity = BySeverity, TablesUsed = TablesUsed.ToArray(),
    };
}
