using System.Text;

namespace CodePairs.Rules.Batch;

/// <summary>What a batch run saw. <c>LinesIn == LinesValidated + LinesRejected</c> always holds.</summary>
public sealed record BatchSummary
{
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

    /// <summary>0 = every claim clean and no line rejected; 1 = findings, nothing rejected; 2 = some lines rejected.</summary>
    public int ExitCode => LinesRejected > 0 ? 2 : ClaimsWithFindings > 0 ? 1 : 0;

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append($"claims: {Claims:N0} ({ClaimsClean:N0} clean, {ClaimsWithFindings:N0} with findings)\n");
        sb.Append($"lines: {LinesIn:N0} in = {LinesValidated:N0} validated + {LinesRejected:N0} rejected\n");
        sb.Append("findings by kind: ").Append(FindingsByKind.Count == 0 ? "none" : string.Join(", ", FindingsByKind.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value:N0}"))).Append('\n');
        sb.Append("findings by severity: ").Append(FindingsBySeverity.Count == 0 ? "none" : string.Join(", ", FindingsBySeverity.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value:N0}")));
        return sb.ToString();
    }
}

/// <summary>
/// Checks a batch file against a validator and writes one result row per finding (warning or worse; info too when
/// asked), one <c>clean</c> row per clean claim and one <c>rejected</c> row per rejected input line:
/// <c>claim_id,input_lines,status,severity,kind,rule,claim_lines,denied_lines,codes,source,message</c> (source: the table
/// version or pack a finding rests on, <c>ptp-practitioner v322r0</c>; for a clean claim, the table versions it was judged by).
/// Streaming: one claim in memory at a time.
/// </summary>
public static class BatchCheck
{
    public const string ResultHeader = "claim_id,input_lines,status,severity,kind,rule,claim_lines,denied_lines,codes,source,message";

    /// <summary>The header of the separate rejected-lines file (see the overload with a <c>rejected</c> writer).</summary>
    public const string RejectedHeader = "line,claim_id,reason";

    public static BatchSummary Run(Stream input, BatchFormat format, ClaimValidator validator, TextWriter results,
        Setting defaultSetting = Setting.Practitioner, bool includeInfo = false, IProgress<int>? progress = null)
    {
        results.Write(ResultHeader);
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
        var tablesUsed = new SortedSet<string>(StringComparer.Ordinal);
        int claims = 0, clean = 0, withFindings = 0, validated = 0, rejectedLines = 0;
        var byKind = new Dictionary<string, int>();
        var bySeverity = new Dictionary<string, int>();
        var lastReport = 0;
        // Three stages on their own threads, in order: parse, validate, write. The validator is thread-safe and each
        // stage hands whole chunks on, so a 2-core machine overlaps parsing with validation.
        foreach (var chunk in Pipeline(reader, validator, cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var k = 0; k < chunk.Items.Count; k++)
            {
                switch (chunk.Items[k])
                {
                    case BatchRejection r when rejected is not null:
                        rejectedLines++;
                        rejected.Write(r.Line.ToString(System.Globalization.CultureInfo.InvariantCulture));
                        rejected.Write(',');
                        Field(rejected, r.ClaimId ?? "");
                        rejected.Write(',');
                        Field(rejected, r.Reason);
                        rejected.Write("\r\n");
                        break;
                    case BatchRejection r:
                        rejectedLines++;
                        Row(results, r.ClaimId, r.Line.ToString(System.Globalization.CultureInfo.InvariantCulture), "rejected", "", "", "", "", "", "", "", r.Reason);
                        break;
                    case BatchClaim c:
                        claims++;
                        validated += InputLineCount(c); // input lines, not claim lines: a JSON line holds a whole claim
                        var result = chunk.Results[k]!;
                        foreach (var source in result.TablesUsed) tablesUsed.Add(source.ToString());
                        foreach (var f in result.Findings)
                        {
                            if (f.Severity < Severity.Warning && !includeInfo) continue;
                            var kind = KindName(f.Kind);
                            var severity = SeverityName(f.Severity);
                            byKind[kind] = byKind.GetValueOrDefault(kind) + 1;
                            bySeverity[severity] = bySeverity.GetValueOrDefault(severity) + 1;
                            Row(results, c.Claim.ClaimId, InputLines(c, f.Lines), "finding", severity, kind, f.Rule,
                                string.Join(';', f.Lines), string.Join(';', f.DeniedLines), string.Join(';', f.Codes), f.Source?.ToString() ?? "", f.Message);
                        }
                        if (result.Clean)
                        {
                            clean++;
                            Row(results, c.Claim.ClaimId, InputLines(c, null), "clean", "", "", "", "", "", "",
                                string.Join(';', result.TablesUsed.Select(s => s.ToString())), "");
                        }
                        else withFindings++;
                        break;
                }
            }
            if (progress is not null && chunk.LinesRead - lastReport >= 100_000)
            {
                lastReport = chunk.LinesRead;
                progress.Report(chunk.LinesRead);
            }
        }
        results.Flush();
        rejected?.Flush();
        return new BatchSummary
        {
            Claims = claims, ClaimsClean = clean, ClaimsWithFindings = withFindings,
            LinesIn = reader.LinesRead, LinesValidated = validated, LinesRejected = rejectedLines,
            FindingsByKind = byKind, FindingsBySeverity = bySeverity, TablesUsed = tablesUsed.ToArray(),
        };
    }

    private sealed record Chunk(List<BatchItem> Items, int LinesRead)
    {
        public ValidationResult?[] Results { get; set; } = [];
    }

    private const int ChunkSize = 1024;

    private static IEnumerable<Chunk> Pipeline(BatchReader reader, ClaimValidator validator, CancellationToken cancellationToken)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var parsed = new System.Collections.Concurrent.BlockingCollection<Chunk>(8);
        using var checkedChunks = new System.Collections.Concurrent.BlockingCollection<Chunk>(8);
        var token = cancel.Token;
        var read = Task.Run(() =>
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
        }, token);
        var validate = Task.Run(() =>
        {
            try
            {
                foreach (var chunk in parsed.GetConsumingEnumerable(token))
                {
                    var results = new ValidationResult?[chunk.Items.Count];
                    // Validation is the costliest stage: split each chunk over the cores (order is kept by index).
                    var parts = Math.Clamp(Environment.ProcessorCount, 1, 4);
                    Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts, CancellationToken = token }, part =>
                    {
                        for (var k = part; k < results.Length; k += parts)
                            if (chunk.Items[k] is BatchClaim c) results[k] = validator.Validate(c.Claim);
                    });
                    chunk.Results = results;
                    checkedChunks.Add(chunk, token);
                }
            }
            finally { checkedChunks.CompleteAdding(); }
        }, token);
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

    private static void Row(TextWriter w, string? claimId, string inputLines, string status, string severity, string kind, string rule,
        string claimLines, string deniedLines, string codes, string source, string message)
    {
        Field(w, claimId ?? ""); w.Write(',');
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
