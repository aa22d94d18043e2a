using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using CodePairs.Rules;
using CodePairs.Rules.Batch;
using CodePairs.Rules.Cms;
using CodePairs.Rules.Generation;
using CodePairs.Rules.Snapshots;

namespace CodePairs.Cli;

/// <summary>Exit codes scripts can rely on.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary><c>check</c>: at least one claim has a finding (warning or worse); no line was rejected.</summary>
    public const int Findings = 1;
    /// <summary><c>check</c>: at least one input line was rejected.</summary>
    public const int Rejected = 2;
    /// <summary>The command could not run: a bad CMS file, snapshot, claims header, or a missing file.</summary>
    public const int Failed = 3;
    /// <summary>The command line itself was wrong.</summary>
    public const int Usage = 64;
}

/// <summary>The command handlers, free of the command-line parser so tests can call them in-process.
/// All file and folder handling of the offline door lives here; the engine only sees streams.</summary>
public sealed class Commands(TextWriter output, TextWriter error, bool interactive = false)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private IProgress<string>? Progress => interactive ? new TerminalProgress(error) : null;

    public int Import(IReadOnlyList<string> paths, string snapshotPath)
    {
        return Guard(() =>
        {
            var files = CmsFiles(paths);
            var total = Stopwatch.StartNew();
            var result = CmsImport.Import(files.Select(f => new CmsInput(f, () => File.OpenRead(f))), progress: Progress);
            var read = total.Elapsed;
            var build = Stopwatch.StartNew();
            var rules = RuleSet.Build(result.Release);
            build.Stop();
            var write = Stopwatch.StartNew();
            var temp = snapshotPath + ".tmp";
            using (var stream = File.Create(temp)) RuleSnapshot.Write(stream, rules);
            File.Move(temp, snapshotPath, overwrite: true);
            write.Stop();
            ClearProgress();
            output.WriteLine($"release {result.Release.Id}, effective {result.Release.EffectiveFrom:yyyy-MM-dd}");
            foreach (var t in result.Tables)
                output.WriteLine($"  {t.Table,-18} {t.Rows,10:N0} rows  {t.Files} file(s)  version {t.Version}  {t.Elapsed.TotalMilliseconds,7:N0} ms");
            foreach (var i in result.Ignored) output.WriteLine($"  ignored {i}");
            output.WriteLine($"codes: {rules.Codes.Count:N0}");
            output.WriteLine($"read {read.TotalMilliseconds:N0} ms, index {build.Elapsed.TotalMilliseconds:N0} ms, snapshot {write.Elapsed.TotalMilliseconds:N0} ms");
            output.WriteLine($"wrote {snapshotPath} ({new FileInfo(snapshotPath).Length:N0} bytes)");
            return ExitCodes.Ok;
        });
    }

    public int Inspect(string snapshotPath)
    {
        return Guard(() =>
        {
            var watch = Stopwatch.StartNew();
            var rules = Load(snapshotPath);
            watch.Stop();
            output.WriteLine($"{snapshotPath}: snapshot format {RuleSnapshot.FormatVersion}, {new FileInfo(snapshotPath).Length:N0} bytes, loaded in {watch.Elapsed.TotalMilliseconds:N0} ms");
            output.WriteLine($"codes: {rules.Codes.Count:N0}; index memory: {rules.IndexBytes:N0} bytes");
            foreach (var r in rules.Releases)
            {
                output.WriteLine($"release {r.Id}, effective from {r.EffectiveFrom:yyyy-MM-dd}");
                foreach (var c in r.Components.OrderBy(c => c.Table, StringComparer.Ordinal))
                    output.WriteLine($"  {c.Table,-18} {c.Rows,10:N0} rows  version {c.Version}  effective {c.EffectiveFrom:yyyy-MM-dd}");
            }
            return ExitCodes.Ok;
        });
    }

    public int Code(string snapshotPath, string code, string? date, string? setting, bool history, bool json)
    {
        return Guard(() =>
        {
            if (!HcpcsCode.TryParse(code, out var parsed, out var codeError)) return Usage($"code: {codeError}");
            DateOnly? day = null;
            if (date is not null)
            {
                if (!ClaimParser.TryParseDate(date, out var d, out var reason)) return Usage($"--date: {reason}");
                day = d;
            }
            var s = Setting.Practitioner;
            if (setting is not null && !SettingNames.TryParse(setting, out s)) return Usage($"--setting: '{setting}' is not 'practitioner' or 'hospital'");
            var profile = Load(snapshotPath).Profile(parsed, day, s, history);
            if (json) output.WriteLine(JsonSerializer.Serialize(profile, Json));
            else WriteProfile(profile, history);
            return ExitCodes.Ok;
        });
    }

    private void WriteProfile(CodeProfile p, bool history)
    {
        output.WriteLine($"{p.Code} in release {p.Release} ({p.Setting}, date {p.Date:yyyy-MM-dd})");
        if (!p.Known)
        {
            output.WriteLine("  no table of this snapshot names the code (deleted, not yet effective, or mistyped)");
            return;
        }
        if (p.AddOn is { } a)
        {
            output.WriteLine($"  add-on code, type {a.Type}{(a.Type == 2 ? " (CMS lists no primaries; the contractor defines them)" : "")}, edit effective {a.EditEffective:yyyy-MM-dd}{(a.EditDeletion is { } d ? $" to {d:yyyy-MM-dd}" : "")}");
            if (a.EligiblePrimaries.Count > 0) output.WriteLine($"    eligible primaries: {string.Join(", ", a.EligiblePrimaries)}");
            if (a.Notes is not null) output.WriteLine($"    notes: {a.Notes}");
        }
        else output.WriteLine("  not an add-on code on this date");
        if (p.PrimaryFor.Count > 0) output.WriteLine($"  eligible primary for add-ons: {string.Join(", ", p.PrimaryFor)}");
        Partners("PTP as column 1 (the partner is denied)", p.Column2Partners, history);
        Partners("PTP as column 2 (this code is denied with)", p.Column1Partners, history);
        output.WriteLine(p.Mue is { } m
            ? $"  MUE ({p.MueTable}): {m.Value} (MAI {m.AdjudicationIndicator} {m.Adjudication}; {m.Rationale})"
            : $"  MUE ({p.MueTable}): no published MUE (not a pass: the limit may be confidential)");
    }

    private void Partners(string title, IReadOnlyList<PtpPartner> partners, bool history)
    {
        output.WriteLine($"  {title}: {(partners.Count == 0 ? "none" : $"{partners.Select(x => x.Code).Distinct().Count():N0} code(s)")}");
        if (history)
        {
            foreach (var x in partners)
                output.WriteLine($"    {x.Code}  indicator {x.ModifierIndicator}  {x.Effective:yyyyMMdd}-{(x.Deletion is { } d ? d.ToString("yyyyMMdd", CultureInfo.InvariantCulture) : "*")}  {(x.InForce ? "in force" : "not in force")}  {x.Rationale}");
            return;
        }
        foreach (var group in partners.GroupBy(x => x.ModifierIndicator).OrderBy(g => g.Key))
        {
            var ranges = CodeRange.Compress(group.Select(x => HcpcsCode.Parse(x.Code))).Select(r => r.ToString()).ToList();
            const int Shown = 40;
            var text = string.Join(", ", ranges.Take(Shown)) + (ranges.Count > Shown ? $", … ({ranges.Count - Shown} more ranges; --json lists all)" : "");
            output.WriteLine($"    indicator {group.Key} ({(group.Key == 0 ? "no modifier bypasses" : "an NCCI modifier may bypass")}): {text}");
        }
    }

    public int Check(string snapshotPath, string claimsPath, string? outPath, string? setting, bool includeInfo)
    {
        var s = Setting.Practitioner;
        if (setting is not null && !SettingNames.TryParse(setting, out s)) return Usage($"--setting: '{setting}' is not 'practitioner' or 'hospital'");
        return Guard(() =>
        {
            var rules = Load(snapshotPath);
            var validator = new ClaimValidator(rules);
            var watch = Stopwatch.StartNew();
            BatchSummary summary;
            using (var input = File.OpenRead(claimsPath))
            {
                var format = FormatOf(claimsPath, input);
                var toFile = outPath is not null;
                using var results = toFile ? new StreamWriter(outPath!, false, new System.Text.UTF8Encoding(false), 1 << 16) : null;
                var unit = format == BatchFormat.X12 ? "claims" : "lines";
                IProgress<int>? progress = interactive ? new Progress<int>(n => error.Write($"\r{n:N0} {unit}…")) : null;
                summary = BatchCheck.Run(input, format, validator, results ?? output, s, includeInfo, progress);
            }
            watch.Stop();
            ClearProgress();
            // With results on stdout the summary goes to stderr, so the results stay a clean CSV.
            var report = outPath is null ? error : output;
            report.WriteLine(summary.ToString());
            var seconds = Math.Max(watch.Elapsed.TotalSeconds, 1e-9);
            var rate = summary.Unit == "claim" ? $"{summary.ServiceLines / seconds:N0} service lines/s" : $"{summary.LinesIn / seconds:N0} lines/s";
            report.WriteLine($"checked in {watch.Elapsed.TotalSeconds:N2} s ({rate}){(outPath is null ? "" : $"; results in {outPath}")}");
            return summary.ExitCode;
        });
    }

    /// <summary>The format by name, and for a .txt by its first bytes (an 837 starts with ISA); the stream is left at its start.</summary>
    private static BatchFormat FormatOf(string path, FileStream input)
    {
        if (!CodePairs.Rules.X12.X12Files.MaySniff(path)) return BatchReader.FormatOf(path);
        var head = new byte[CodePairs.Rules.X12.X12Files.SniffBytes];
        var n = input.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        input.Position = 0;
        return BatchReader.FormatOf(path, head.AsSpan(0, n));
    }

    public int Generate(string folder, string scale, int seed, int claims, string claimsFormat = "csv")
    {
        if (claimsFormat is not ("csv" or "837p" or "837i")) return Usage($"--claims-format: '{claimsFormat}' is not 'csv', '837p' or '837i'");
        GeneratorOptions options;
        switch (scale)
        {
            case "small": options = GeneratorOptions.Small(seed); break;
            case "full": options = GeneratorOptions.Full(seed); break;
            default: return Usage($"--scale: '{scale}' is not 'small' or 'full'");
        }
        return Guard(() =>
        {
            Directory.CreateDirectory(folder);
            var watch = Stopwatch.StartNew();
            var generator = new ReleaseGenerator(options);
            var files = generator.WriteFiles(name => File.Create(Path.Combine(folder, name)), Progress);
            var claimsFile = claimsFormat == "csv" ? "claims.csv" : $"claims-{claimsFormat}.837";
            if (claims > 0)
            {
                using var stream = File.Create(Path.Combine(folder, claimsFile));
                if (claimsFormat == "csv") generator.WriteClaims(stream, claims, seed);
                else generator.WriteClaims837(stream, claims, seed, institutional: claimsFormat == "837i");
            }
            ClearProgress();
            output.WriteLine($"wrote release {options.ReleaseId} ({scale}, seed {seed}) to {folder} in {watch.Elapsed.TotalSeconds:N1} s:");
            foreach (var f in files) output.WriteLine($"  {f} ({new FileInfo(Path.Combine(folder, f)).Length:N0} bytes)");
            if (claims > 0) output.WriteLine($"  {claimsFile} ({claims:N0} {(claimsFormat == "csv" ? "lines" : "service lines")})");
            return ExitCodes.Ok;
        });
    }

    /// <summary>The files named, and the files directly inside the folders named, in name order.</summary>
    internal static List<string> CmsFiles(IReadOnlyList<string> paths)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path)) files.AddRange(Directory.GetFiles(path).Order(StringComparer.Ordinal));
            else if (File.Exists(path)) files.Add(path);
            else throw new FileNotFoundException($"no such file or folder: {path}");
        }
        return files;
    }

    /// <summary>A rule set from a snapshot file, or from CMS files and folders.</summary>
    internal RuleSet LoadOrImport(IReadOnlyList<string> paths)
    {
        string[] cmsExtensions = [".zip", ".csv", ".txt", ".xlsx", ".json"];
        if (paths.Count == 1 && File.Exists(paths[0]) && !cmsExtensions.Contains(Path.GetExtension(paths[0]).ToLowerInvariant()))
            return Load(paths[0]);
        var files = CmsFiles(paths);
        return RuleSet.Build(CmsImport.Import(files.Select(f => new CmsInput(f, () => File.OpenRead(f))), progress: Progress).Release);
    }

    internal int Guarded(Func<int> action) => Guard(action);

    internal void Done() => ClearProgress();

    private static RuleSet Load(string path)
    {
        using var stream = File.OpenRead(path);
        return RuleSnapshot.Load(stream, Path.GetFileName(path));
    }

    private int Guard(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is CmsFileException or SnapshotException or BatchFileException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or IOException)
        {
            ClearProgress();
            error.WriteLine($"error: {e.Message}");
            return ExitCodes.Failed;
        }
    }

    private int Usage(string message)
    {
        error.WriteLine($"error: {message}");
        return ExitCodes.Usage;
    }

    private void ClearProgress()
    {
        if (interactive) error.Write("\r\u001b[K");
    }

    private sealed class TerminalProgress(TextWriter error) : IProgress<string>
    {
        public void Report(string value) => error.Write($"\r\u001b[K{value}");
    }
}
