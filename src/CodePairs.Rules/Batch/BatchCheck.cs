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
    /// <summary>The releases the validated claims were judged by (sorted, distinct).</summary>
    public IReadOnlyList<string> ReleasesUsed { get; init; } = [];

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
/// <c>claim_id,input_lines,status,severity,kind,rule,claim_lines,denied_lines,codes,release,message</c>.
/// Streaming: one claim in memory at a time.
/// </summary>
public static class BatchCheck
{
    public const string ResultHeader = "claim_id,input_lines,status,severity,kind,rule,claim_lines,denied_lines,codes,release,message";

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
    /// <paramref name="rejected"/> when given, else as <c>rejected</c> result rows. Cancellation is checked per claim.
    /// </summary>
    public static BatchSummary Run(BatchReader reader, ClaimValidator validator, TextWriter results, TextWriter? rejected,
        bool includeInfo = false, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        var releases = new SortedSet<string>(StringComparer.Ordinal);
        int claims = 0, clean = 0, withFindings = 0, validated = 0, rejectedLines = 0;
        var byKind = new Dictionary<string, int>();
        var bySeverity = new Dictionary<string, int>();
        var lastReport = 0;
        foreach (var item in reader.Read())
        {
            switch (item)
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
                    cancellationToken.ThrowIfCancellationRequested();
                    claims++;
                    validated += FileLines(c.InputLines); // a JSON Lines claim is one file line however many claim lines it has
                    var result = validator.Validate(c.Claim);
                    foreach (var source in result.ReleasesUsed) releases.Add(source.Release);
                    var written = 0;
                    foreach (var f in result.Findings)
                    {
                        if (f.Severity < Severity.Warning && !includeInfo) continue;
                        written++;
                        var kind = KindName(f.Kind);
                        var severity = SeverityName(f.Severity);
                        byKind[kind] = byKind.GetValueOrDefault(kind) + 1;
                        bySeverity[severity] = bySeverity.GetValueOrDefault(severity) + 1;
                        Row(results, c.Claim.ClaimId, InputLines(c, f.Lines), "finding", severity, kind, f.Rule,
                            string.Join(';', f.Lines), string.Join(';', f.DeniedLines), string.Join(';', f.Codes), f.Source?.Release ?? "", f.Message);
                    }
                    if (result.Clean)
                    {
                        clean++;
                        Row(results, c.Claim.ClaimId, InputLines(c, null), "clean", "", "", "", "", "", "",
                            string.Join(';', result.ReleasesUsed.Select(s => s.Release).Distinct()), "");
                    }
                    else withFindings++;
                    _ = written;
                    break;
            }
            if (progress is not null && reader.LinesRead - lastReport >= 100_000)
            {
                lastReport = reader.LinesRead;
                progress.Report(reader.LinesRead);
            }
        }
        results.Flush();
        rejected?.Flush();
        return new BatchSummary
        {
            Claims = claims, ClaimsClean = clean, ClaimsWithFindings = withFindings,
            LinesIn = reader.LinesRead, LinesValidated = validated, LinesRejected = rejectedLines,
            FindingsByKind = byKind, FindingsBySeverity = bySeverity, ReleasesUsed = releases.ToArray(),
        };
    }

    private static int FileLines(IReadOnlyList<int> inputLines)
    {
        var n = 1;
        for (var i = 1; i < inputLines.Count; i++) if (inputLines[i] != inputLines[i - 1]) n++;
        return n;
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
        string claimLines, string deniedLines, string codes, string release, string message)
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
        Field(w, release); w.Write(',');
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
