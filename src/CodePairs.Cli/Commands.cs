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

    public int Import(IReadOnlyList<string> paths, string snapshotPath, int ptpParts = 4)
    {
        return Guard(() =>
        {
            var total = Stopwatch.StartNew();
            var result = ReadCms(paths, ptpParts);
            var read = total.Elapsed;
            var build = Stopwatch.StartNew();
            var rules = result.Build();
            build.Stop();
            var write = Stopwatch.StartNew();
            var temp = snapshotPath + ".tmp";
            using (var stream = File.Create(temp)) RuleSnapshot.Write(stream, rules);
            File.Move(temp, snapshotPath, overwrite: true);
            write.Stop();
            ClearProgress();
            WriteReport(result.Report);
            output.WriteLine($"codes: {rules.Codes.Count:N0}");
            output.WriteLine($"read {read.TotalMilliseconds:N0} ms, index {build.Elapsed.TotalMilliseconds:N0} ms, snapshot {write.Elapsed.TotalMilliseconds:N0} ms");
            output.WriteLine($"wrote {snapshotPath} ({new FileInfo(snapshotPath).Length:N0} bytes)");
            return ExitCodes.Ok;
        });
    }

    /// <summary>The table versions a drop loaded, then every file with what became of it.</summary>
    internal void WriteReport(ImportReport report)
    {
        output.WriteLine($"loaded {report.Tables.Count} table version(s):");
        foreach (var t in report.Tables)
            output.WriteLine($"  {t.Table.Name(),-18} {t.Version,-14} from {t.EffectiveFrom:yyyy-MM-dd} {t.Rows,10:N0} rows  {t.Files} file(s)  {t.Elapsed.TotalMilliseconds,7:N0} ms" +
                             (t.RowsNeverInForce > 0 ? $"  ({t.RowsNeverInForce:N0} never in force)" : ""));
        output.WriteLine($"files ({report.Files.Count}):");
        foreach (var f in report.Files) output.WriteLine($"  {f}");
    }

    public int Inspect(string snapshotPath, string? date = null)
    {
        return Guard(() =>
        {
            var day = DateOnly.FromDateTime(DateTime.UtcNow);
            if (date is not null && !ClaimParser.TryParseDate(date, out day, out var reason)) return Usage($"--date: {reason}");
            var watch = Stopwatch.StartNew();
            var rules = Load(snapshotPath);
            watch.Stop();
            output.WriteLine($"{snapshotPath}: snapshot format {RuleSnapshot.FormatVersion}, {new FileInfo(snapshotPath).Length:N0} bytes, loaded in {watch.Elapsed.TotalMilliseconds:N0} ms");
            output.WriteLine($"codes: {rules.Codes.Count:N0}; index memory: {rules.IndexBytes:N0} bytes; in force on {day:yyyy-MM-dd} marked *");
            foreach (var table in Tables.All)
            {
                var versions = rules.VersionsOf(table);
                var inForce = rules.VersionFor(table, day);
                if (versions.Count == 0)
                {
                    output.WriteLine($"{table.Name()}: not loaded");
                    continue;
                }
                output.WriteLine($"{table.Name()}: {versions.Count} version(s); in force on {day:yyyy-MM-dd}: {inForce?.Version ?? "none (before its first version)"}");
                foreach (var v in versions.Reverse())
                    output.WriteLine($"  {(ReferenceEquals(v, inForce) ? "*" : " ")} {v.Version,-14} from {v.EffectiveFrom:yyyy-MM-dd} {v.Rows,10:N0} rows  key {v.Key}" +
                                     (v.RowsNeverInForce > 0 ? $"  ({v.RowsNeverInForce:N0} never in force)" : "") +
                                     (v.Sources.Count > 0 ? $"  from {string.Join(", ", v.Sources.Select(x => x.File))}" : ""));
            }
            return ExitCodes.Ok;
        });
    }

    /// <summary><c>rules changes</c>: what changed in one table between two versions or two dates, for some codes.</summary>
    public int Changes(string snapshotPath, string table, string from, string to, string? codes, bool json)
    {
        if (!Tables.TryParse(table, out var id)) return Usage($"--table: '{table}' is not a table ({string.Join(", ", Tables.All.Select(t => t.Name()))})");
        if (!TableChanges.TryParseCodes(codes, out var ranges, out var codeError)) return Usage($"--codes: {codeError}");
        return Guard(() =>
        {
            var rules = Load(snapshotPath);
            if (!TableChanges.TryBetween(rules, id, from, to, ranges, out var report, out var problems))
                return Usage(string.Join("; ", problems.Select(p => $"--{p.Field}: {p.Reason}")));
            if (json)
            {
                output.WriteLine(JsonSerializer.Serialize(new { report!.Table, report.From, report.To, Counts = report.Counts, Total = report.Changes.Count, report.Changes }, Json));
                return ExitCodes.Ok;
            }
            output.WriteLine($"{id.Name()}: {report!.From} → {report.To}{(codes is null ? "" : $", codes {codes}")}: {report.Changes.Count:N0} change(s)" +
                             (report.Counts.Count == 0 ? "" : $" ({string.Join(", ", report.Counts.Select(c => $"{c.Value:N0} {Name(c.Key)}"))})"));
            if (report.Changes.Count == 0) return ExitCodes.Ok;
            output.WriteLine($"  {"change",-8} {"code",-6} {(id.Kind() == TableKind.Mue ? "" : id.Kind() == TableKind.Ptp ? "column 2" : "primary "),-8} what");
            foreach (var c in report.Changes)
                output.WriteLine($"  {Name(c.Kind),-8} {c.Code,-6} {c.Other ?? "",-8} {Describe(c)}");
            return ExitCodes.Ok;
        });
    }

    private static string Name(ChangeKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>One change in words: the row after (added), before (deleted, removed), or the fields that changed.</summary>
    private static string Describe(TableChange c) => c.Kind switch
    {
        ChangeKind.Added => Row(c.After!),
        ChangeKind.Deleted when c.After?.Deletion is { } d => $"deleted {d:yyyy-MM-dd} ({Row(c.Before!)})",
        ChangeKind.Deleted => $"no longer in force ({Row(c.Before!)})",
        ChangeKind.Removed => $"no longer in the file ({Row(c.Before!)})",
        _ => string.Join("; ", c.Fields.Select(f => $"{f} {Field(c.Before!, f)} → {Field(c.After!, f)}")),
    };

    private static string Row(ChangeRow r)
    {
        var parts = new List<string>();
        if (r.Value is { } v) parts.Add($"MUE {v}, MAI {r.AdjudicationIndicator}");
        if (r.ModifierIndicator is { } i) parts.Add($"indicator {i}");
        if (r.Type is { } t) parts.Add($"type {t}");
        if (r.Effective is { } e) parts.Add($"{e:yyyy-MM-dd} to {(r.Deletion is { } d ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "*")}");
        if (r.Rationale is { } ra) parts.Add(ra);
        return string.Join(", ", parts);
    }

    private static string Field(ChangeRow r, string field) => field switch
    {
        "effective" => r.Effective?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "-",
        "deletion" => r.Deletion?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "*",
        "modifierIndicator" => r.ModifierIndicator?.ToString(CultureInfo.InvariantCulture) ?? "-",
        "priorTo1996" => r.PriorTo1996?.ToString() ?? "-",
        "rationale" => $"'{r.Rationale}'",
        "type" => r.Type?.ToString(CultureInfo.InvariantCulture) ?? "-",
        "addOnDeletion" => r.AddOnDeletion?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "*",
        "primaryDeletion" => r.PrimaryDeletion?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "*",
        "notes" => $"'{r.Notes}'",
        "value" => r.Value?.ToString(CultureInfo.InvariantCulture) ?? "-",
        "adjudicationIndicator" => r.AdjudicationIndicator?.ToString(CultureInfo.InvariantCulture) ?? "-",
        _ => "?",
    };

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
        output.WriteLine($"{p.Code} on {p.Date:yyyy-MM-dd} ({p.Setting}), from {string.Join(", ", p.Tables.Select(t => t.ToString()))}");
        if (p.NotInForce.Count > 0) output.WriteLine($"  no version in force on this date: {string.Join(", ", p.NotInForce)} (that part of the profile is unknown)");
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

    /// <summary>The packs the service applies by default (CodePairs:Rules:Packs): one answer everywhere.</summary>
    public static readonly IReadOnlyList<string> DefaultPacks = ["cpt-77003"];

    public int Check(string snapshotPath, string claimsPath, string? outPath, string? setting, bool includeInfo, string? packs = null)
    {
        var s = Setting.Practitioner;
        if (setting is not null && !SettingNames.TryParse(setting, out s)) return Usage($"--setting: '{setting}' is not 'practitioner' or 'hospital'");
        List<RulePack> rulePacks;
        try
        {
            rulePacks = (packs is null ? DefaultPacks : packs.Equals("none", StringComparison.OrdinalIgnoreCase) ? []
                    : packs.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .Select(RulePack.Embedded).ToList();
        }
        catch (ArgumentException e)
        {
            return Usage($"--packs: {e.Message}");
        }
        return Guard(() =>
        {
            var rules = Load(snapshotPath);
            var validator = new ClaimValidator(rules, rulePacks);
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

    public int Generate(string folder, string scale, int seed, int claims, string? version = null, string? tables = null, string claimsFormat = "csv")
    {
        if (claimsFormat is not ("csv" or "837p" or "837i")) return Usage($"--claims-format: '{claimsFormat}' is not 'csv', '837p' or '837i'");
        GeneratorOptions options;
        switch (scale)
        {
            case "small": options = GeneratorOptions.Small(seed); break;
            case "full": options = GeneratorOptions.Full(seed); break;
            default: return Usage($"--scale: '{scale}' is not 'small' or 'full'");
        }
        if (version is not null)
        {
            if (!CmsNames.TryReleaseStart(version, out _)) return Usage($"--version: '{version}' is not a PTP version like v322r0 (it names the quarter)");
            options = options with { ReleaseId = version.ToLowerInvariant() };
        }
        if (tables is not null)
        {
            var chosen = new List<TableId>();
            foreach (var name in tables.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var kind = name.ToLowerInvariant() switch { "ptp" => TableKind.Ptp, "aoc" => TableKind.AddOn, "mue" => TableKind.Mue, _ => (TableKind?)null };
                if (kind is { } k) chosen.AddRange(Tables.All.Where(t => t.Kind() == k));
                else if (Tables.TryParse(name, out var t)) chosen.Add(t);
                else return Usage($"--tables: '{name}' is not ptp, aoc, mue or a table ({string.Join(", ", Tables.All.Select(x => x.Name()))})");
            }
            options = options with { Tables = chosen.Distinct().ToArray() };
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
            output.WriteLine($"wrote {string.Join(", ", options.Tables.Select(t => t.Name()))} for the quarter of {options.ReleaseId} " +
                             $"(from {options.EffectiveFrom:yyyy-MM-dd}; {scale}, seed {seed}) to {folder} in {watch.Elapsed.TotalSeconds:N1} s:");
            foreach (var f in files) output.WriteLine($"  {f} ({new FileInfo(Path.Combine(folder, f)).Length:N0} bytes)");
            if (claims > 0) output.WriteLine($"  {claimsFile} ({claims:N0} {(claimsFormat == "csv" ? "lines" : "service lines")})");
            return ExitCodes.Ok;
        });
    }

    /// <summary>The files named, and the files directly inside the folders named, in name order; and what became of every
    /// folder inside a folder named (files in subfolders are read only when their own folder, or they, are named too).</summary>
    internal static (List<string> Files, List<ImportedFile> Subfolders) CmsFiles(IReadOnlyList<string> paths)
    {
        var files = new List<string>();
        var folders = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                files.AddRange(Directory.GetFiles(path).Order(StringComparer.Ordinal));
                folders.Add(path);
            }
            else if (File.Exists(path)) files.Add(path);
            else throw new FileNotFoundException($"no such file or folder: {path}");
        }
        var read = files.Select(Path.GetFullPath).ToHashSet(StringComparer.Ordinal);
        var subfolders = new List<ImportedFile>();
        foreach (var folder in folders)
            foreach (var sub in Directory.GetDirectories(folder).Order(StringComparer.Ordinal))
            {
                var unread = EntriesUnder(sub)
                    .Where(f => !read.Contains(Path.GetFullPath(f)))
                    .Select(f => Path.GetRelativePath(sub, f).Replace(Path.DirectorySeparatorChar, '/'))
                    .Order(StringComparer.Ordinal).ToList();
                subfolders.Add(SubfolderOutcome(Path.GetFileName(sub) + "/", unread, empty: !Directory.EnumerateFileSystemEntries(sub).Any()));
            }
        return (files, subfolders);
    }

    /// <summary>The files under a folder, at any depth; a link to a folder counts as one entry (with its '/'), not
    /// followed, so a link back up cannot loop.</summary>
    private static IEnumerable<string> EntriesUnder(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder)) yield return file;
        foreach (var sub in Directory.EnumerateDirectories(folder))
        {
            if (new DirectoryInfo(sub).LinkTarget is not null) { yield return sub + "/"; continue; }
            foreach (var file in EntriesUnder(sub)) yield return file;
        }
    }

    /// <summary>What became of a folder inside a folder named: failed when it holds files that are not read (an import
    /// that went on would leave their tables out, and say nothing at exit), else ignored.</summary>
    private static ImportedFile SubfolderOutcome(string folder, List<string> unread, bool empty) => unread.Count > 0
        ? new ImportedFile(folder, FileOutcome.Failed, $"a folder holding {unread.Count} file(s) ({string.Join(", ", unread.Take(5))}{(unread.Count > 5 ? ", …" : "")}): " +
                                                       "files in subfolders are not read; name the folder too, or move them up")
        : new ImportedFile(folder, FileOutcome.Ignored, empty ? "an empty folder" : "a folder whose files are read as named");

    /// <summary>A rule set from a snapshot file (with no report), or from CMS files and folders (with the import's report).</summary>
    internal (RuleSet Rules, ImportReport? Report) LoadOrImport(IReadOnlyList<string> paths, int ptpParts = 4)
    {
        string[] cmsExtensions = [".zip", ".csv", ".txt", ".xlsx", ".json"];
        if (paths.Count == 1 && File.Exists(paths[0]) && !cmsExtensions.Contains(Path.GetExtension(paths[0]).ToLowerInvariant()))
            return (Load(paths[0]), null);
        var result = ReadCms(paths, ptpParts);
        return (result.Build(), result.Report);
    }

    private CmsImportResult ReadCms(IReadOnlyList<string> paths, int ptpParts)
    {
        var (files, outcomes) = CmsFiles(paths);
        ImportReport WithFolders(ImportReport report) => report with { Files = [.. report.Files, .. outcomes] };
        CmsImportResult result;
        try
        {
            result = CmsImport.Import(files.Select(f => new CmsInput(f, () => File.OpenRead(f))), new ImportOptions { PtpParts = ptpParts }, Progress);
        }
        catch (CmsFileException e) when (e.Report is not null)
        {
            ClearProgress();
            WriteReport(WithFolders(e.Report)); // what became of every file, then the error
            throw;
        }
        if (outcomes.FirstOrDefault(o => o.Outcome == FileOutcome.Failed) is { } failed)
        {
            ClearProgress();
            WriteReport(WithFolders(result.Report));
            throw new IOException($"{failed.File}: {failed.Detail}; nothing was written");
        }
        return result with { Report = WithFolders(result.Report) };
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
        catch (Exception e) when (e is CmsFileException or SnapshotException or BatchFileException or RulePackException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or IOException)
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
