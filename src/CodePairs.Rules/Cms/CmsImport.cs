using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;

namespace CodePairs.Rules.Cms;

/// <summary>A file handed to an import: its name (which usually says what it is), a way to open it, and its SHA-256
/// when the caller already knows it (it is computed otherwise).</summary>
public sealed record CmsInput(string Name, Func<Stream> Open, string? Sha256 = null);

/// <summary>How strictly a drop is read.</summary>
public sealed record ImportOptions
{
    public ZipLimits Limits { get; init; } = ZipLimits.Default;

    /// <summary>The parts a PTP table version must have: CMS ships every PTP table as f1–f4, so a drop missing one would
    /// load a quarter of the edits short. Lower it only for an excerpt.</summary>
    public int PtpParts { get; init; } = 4;

    public static ImportOptions Default { get; } = new();
}

/// <summary>The table versions a drop held, ready for <see cref="RuleSetBuilder.Build"/>, and what became of every file.</summary>
public sealed record CmsImportResult(RuleSetBuilder Rules, ImportReport Report)
{
    public RuleSet Build() => Rules.Build();
}

/// <summary>
/// Reads a drop of CMS files — any subset of the six tables, loose or zipped, under the names CMS downloads carry (or
/// recognised by content) — into table versions. Every file gets an outcome in the <see cref="ImportReport"/>. All or
/// nothing: a file that is named or shaped like a CMS table but cannot be read throws <see cref="CmsFileException"/>
/// (with the report attached), and a drop in which nothing was recognised is an error, never an empty rule set.
/// </summary>
public static class CmsImport
{
    /// <summary>One readable file: a loose file or a zip entry, with what its name (or its archive's) says.</summary>
    private sealed record Item(string Display, CmsFileName Name, CmsFileName? Archive, Func<Stream> Open, TableSource Source);

    /// <summary>A file found to hold a table: which table and version, from when, and which part.</summary>
    private sealed record TableFile(Item Item, TableId Table, string Version, DateOnly EffectiveFrom, int Part);

    /// <summary>The outcome of every file, and the exception behind each failure (the first is what the import throws).</summary>
    private sealed class Outcomes
    {
        public List<ImportedFile> Files { get; } = [];
        public List<CmsFileException> Failures { get; } = [];

        public void Add(ImportedFile file) => Files.Add(file);

        public void Fail(string file, CmsFileException e, TableId? table = null, string? version = null)
        {
            var detail = string.Join("; ", e.Problems.Select(p => p.Line > 0 ? $"line {p.Line}: {p.Reason}" : p.Reason))
                         + (e.TotalProblems > e.Problems.Count ? $"; … and {e.TotalProblems - e.Problems.Count} more" : "");
            Files.Add(new ImportedFile(file, FileOutcome.Failed, detail, table, version));
            Failures.Add(e);
        }

        public void Fail(string file, string reason, TableId? table = null, string? version = null)
            => Fail(file, new CmsFileException(file, 0, reason), table, version);
    }

    public static CmsImportResult Import(IEnumerable<CmsInput> inputs, ImportOptions? options = null, IProgress<string>? progress = null)
    {
        options ??= ImportOptions.Default;
        var files = inputs.ToList();
        var outcomes = new Outcomes();
        var archives = new List<(Stream, ZipArchive)>();
        try
        {
            var manifest = ReadManifest(files, outcomes);
            var items = Expand(files, options, outcomes, archives);
            var tables = new List<TableFile>();
            foreach (var item in items)
                if (Recognise(item, options, outcomes) is { } table) tables.Add(table);

            var builder = new RuleSetBuilder();
            var loaded = new List<ImportedTable>();
            ReadPtp(tables, options, builder, loaded, outcomes, progress);
            ReadSingleFiles(tables, options, builder, loaded, outcomes, progress);
            if (manifest is not null) CheckManifestRelease(manifest, tables, outcomes);
            if (outcomes.Failures.Count == 0 && builder.DistinctCodes is var codes and > CodeIndex.MaxCodes)
                outcomes.Fail("(drop)", $"its tables name {codes:N0} distinct codes; a rule set holds at most {CodeIndex.MaxCodes:N0} " +
                                        "(a CMS release names far fewer), so nothing was loaded");

            var report = new ImportReport(Order(outcomes.Files, files), loaded.OrderBy(t => t.Table).ThenBy(t => t.EffectiveFrom).ToArray());
            if (outcomes.Failures.Count > 0)
            {
                var first = outcomes.Failures[0];
                first.Report = report;
                throw first;
            }
            if (builder.IsEmpty)
                throw new CmsFileException("(drop)", 0,
                    $"no CMS PTP, AOC or MUE table was found in {files.Count} file(s) ({string.Join(", ", files.Select(f => Path.GetFileName(f.Name)).Take(10))}); " +
                    "nothing was loaded") { Report = report };
            return new CmsImportResult(builder, report);
        }
        finally
        {
            foreach (var (stream, zip) in archives) { zip.Dispose(); stream.Dispose(); }
        }
    }

    // ---- manifest ----

    private static ReleaseManifest? ReadManifest(List<CmsInput> files, Outcomes outcomes)
    {
        var manifests = files.Where(f => CmsNames.Classify(f.Name).Kind == CmsFileKind.Manifest).ToList();
        if (manifests.Count == 0) return null;
        if (manifests.Count > 1)
        {
            foreach (var m in manifests) outcomes.Fail(Path.GetFileName(m.Name), "two manifests were given; a drop has at most one release.json");
            return null;
        }
        var file = manifests[0];
        var name = Path.GetFileName(file.Name);
        try
        {
            ReleaseManifest manifest;
            using (var s = file.Open()) manifest = ReleaseManifest.Read(s, name);
            Verify(manifest, name, files);
            outcomes.Add(new(name, FileOutcome.Loaded, $"manifest of {manifest.Release}: {manifest.Files.Count} file(s) present with the listed SHA-256s"));
            return manifest;
        }
        catch (CmsFileException e)
        {
            outcomes.Fail(name, e);
            return null;
        }
    }

    private static void Verify(ReleaseManifest manifest, string manifestName, List<CmsInput> files)
    {
        var byName = new Dictionary<string, CmsInput>(StringComparer.OrdinalIgnoreCase);
        foreach (var f in files) byName.TryAdd(Path.GetFileName(f.Name), f);
        foreach (var listed in manifest.Files)
        {
            if (!byName.TryGetValue(listed.Name, out var file))
                throw new CmsFileException(manifestName, 0, $"lists '{listed.Name}', which was not given");
            if (listed.Sha256 is { Length: > 0 } expected)
            {
                var actual = file.Sha256 ?? Hash(file);
                if (!actual.Equals(expected, StringComparison.OrdinalIgnoreCase))
                    throw new CmsFileException(listed.Name, 0, $"SHA-256 is {actual}, but {manifestName} says {expected}");
            }
        }
        var listedNames = manifest.Files.Select(f => f.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var extra = files.Select(f => Path.GetFileName(f.Name))
            .Where(n => !listedNames.Contains(n) && CmsNames.Classify(n).Kind is CmsFileKind.Ptp or CmsFileKind.AddOn or CmsFileKind.Mue or CmsFileKind.Archive)
            .ToList();
        if (extra.Count > 0)
            throw new CmsFileException(manifestName, 0, $"does not list {string.Join(", ", extra)}; remove the file or add it to the manifest");
    }

    private static void CheckManifestRelease(ReleaseManifest manifest, List<TableFile> tables, Outcomes outcomes)
    {
        var ptp = tables.Where(t => t.Table.Kind() == TableKind.Ptp).Select(t => t.Version).Distinct().ToList();
        if (ptp.Count > 0 && !ptp.Contains(manifest.Release, StringComparer.OrdinalIgnoreCase))
            outcomes.Fail(CmsNames.ManifestName, $"the manifest says release {manifest.Release}, the PTP files say {string.Join(", ", ptp)}");
    }

    // ---- expanding archives ----

    private static List<Item> Expand(List<CmsInput> files, ImportOptions options, Outcomes outcomes, List<(Stream, ZipArchive)> archives)
    {
        var items = new List<Item>();
        foreach (var file in files)
        {
            var display = Path.GetFileName(file.Name);
            var name = CmsNames.Classify(display);
            if (name.Kind == CmsFileKind.Manifest) continue;
            if (name.Kind != CmsFileKind.Archive)
            {
                items.Add(new Item(display, name, null, file.Open, new TableSource(display, file.Sha256 ?? Hash(file))));
                continue;
            }
            Stream? stream = null;
            try
            {
                stream = file.Open();
                var zip = new ZipArchive(stream, ZipArchiveMode.Read);
                archives.Add((stream, zip));
                var entries = SafeZip.Entries(zip, display, options.Limits);
                var sha = file.Sha256 ?? Hash(file);
                outcomes.Add(new(display, FileOutcome.Unpacked, $"zip archive of {entries.Count} file(s)"));
                foreach (var (entryName, open) in entries)
                {
                    var path = $"{display}/{entryName}";
                    items.Add(new Item(path, CmsNames.Classify(entryName), name, open, new TableSource(path, sha)));
                }
            }
            catch (Exception e) when (e is InvalidDataException or CmsFileException or IOException)
            {
                if (archives.Count == 0 || !ReferenceEquals(archives[^1].Item1, stream)) stream?.Dispose();
                if (e is CmsFileException c) outcomes.Fail(display, c);
                else outcomes.Fail(display, $"not a readable zip archive: {e.Message}");
            }
        }
        return items;
    }

    private static string Hash(CmsInput file)
    {
        using var s = file.Open();
        return Convert.ToHexStringLower(SHA256.HashData(s));
    }

    // ---- recognising ----

    /// <summary>What the item holds, or null with its outcome recorded (not loaded, ignored, failed).</summary>
    private static TableFile? Recognise(Item item, ImportOptions options, Outcomes outcomes)
    {
        var name = item.Name;
        switch (name.Kind)
        {
            case CmsFileKind.Delta or CmsFileKind.Companion:
                outcomes.Add(new(item.Display, FileOutcome.NotLoaded, name.Note!, name.Table, name.Version));
                return null;
            case CmsFileKind.Archive:
                outcomes.Add(new(item.Display, FileOutcome.Ignored, "an archive inside an archive is not opened; drop its files as CMS ships them"));
                return null;
            case CmsFileKind.Manifest:
                outcomes.Add(new(item.Display, FileOutcome.Ignored, "a manifest inside an archive is not read; drop release.json beside the files"));
                return null;
            case CmsFileKind.Ptp or CmsFileKind.AddOn or CmsFileKind.Mue:
                return Locate(item, name.Kind, name.Table, options, outcomes, byContent: false);
        }
        (CmsFileKind Kind, TableId? Table)? sniffed;
        try
        {
            sniffed = CmsSniff.Recognise(item.Open, options.Limits.MaxWorkbookBytes);
        }
        catch (CmsFileException e)
        {
            outcomes.Fail(item.Display, e);
            return null;
        }
        if (sniffed is not { } s)
        {
            outcomes.Add(new(item.Display, FileOutcome.Ignored, "not a CMS NCCI table: neither its name nor its content is that of a PTP, AOC or MUE file"));
            return null;
        }
        return Locate(item, s.Kind, s.Table ?? name.Table ?? item.Archive?.Table, options, outcomes, byContent: true);
    }

    /// <summary>The table, version, effective date and part of a recognised file, from its own name, then its archive's.</summary>
    private static TableFile? Locate(Item item, CmsFileKind kind, TableId? table, ImportOptions options, Outcomes outcomes, bool byContent)
    {
        var own = item.Name;
        var archive = item.Archive;
        string What() => byContent ? $"recognised as {KindName(kind)} by its content" : $"named as {KindName(kind)}";
        TableFile? Fail(string reason)
        {
            outcomes.Fail(item.Display, $"{What()}, but {reason}");
            return null;
        }
        if (table is null) return Fail("neither its name nor its archive's says which table (practitioner ccipra or hospital ccioph): name it as CMS does");
        if (archive?.Table is { } archiveTable && archiveTable != table)
            return Fail($"its archive's name says the {archiveTable.Name()} table and the file says {table.Value.Name()}");
        switch (kind)
        {
            case CmsFileKind.Ptp:
            {
                var version = own.Version ?? archive?.Version;
                var part = own.Part > 0 ? own.Part : archive?.Part ?? 0;
                if (version is null || part == 0) return Fail("neither its name nor its archive's carries the version and part (ccipra-v322r0-f1): name it as CMS does");
                if (own.Version is not null && archive?.Version is { } av && !av.Equals(own.Version, StringComparison.OrdinalIgnoreCase))
                    return Fail($"its archive is version {av} and the file is {own.Version}");
                if (!CmsNames.TryReleaseStart(version, out var start)) return Fail($"'{version}' is not a PTP version (vNNQrR)");
                return new TableFile(item, table.Value, version, start, part);
            }
            case CmsFileKind.AddOn:
            {
                // The download name's date is explicit (effective 06/01/2026); the workbook's own name gives its quarter.
                var version = own.Version ?? archive?.Version ?? (archive?.EffectiveFrom is { } e ? CmsNames.AddOnVersion(e) : null);
                var effective = archive?.Version is null && archive?.EffectiveFrom is { } explicitDate ? explicitDate : own.EffectiveFrom ?? archive?.EffectiveFrom;
                if (version is null || effective is null) return Fail("neither its name nor its archive's carries the AOC version (AOC_V2026Q2) or effective date");
                return new TableFile(item, TableId.AddOn, version, effective.Value, 1);
            }
            default:
            {
                var effective = own.EffectiveFrom ?? archive?.EffectiveFrom;
                if (effective is null) return Fail("neither its name nor its archive's carries the effective date (…_Eff_MM-DD-YYYY.csv)");
                if (own.EffectiveFrom is { } a && archive?.EffectiveFrom is { } b && (a.Year != b.Year || (a.Month - 1) / 3 != (b.Month - 1) / 3))
                    return Fail($"its archive's name says the quarter starting {b:yyyy-MM-dd} and the file says effective {a:yyyy-MM-dd}");
                return new TableFile(item, table.Value, effective.Value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), effective.Value, 1);
            }
        }
    }

    private static string KindName(CmsFileKind kind) => kind switch
    {
        CmsFileKind.Ptp => "a PTP .TXT",
        CmsFileKind.AddOn => "an AOC workbook",
        _ => "an MUE .csv",
    };

    // ---- reading ----

    private static void ReadPtp(List<TableFile> tables, ImportOptions options, RuleSetBuilder builder, List<ImportedTable> loaded,
        Outcomes outcomes, IProgress<string>? progress)
    {
        foreach (var group in tables.Where(t => t.Table.Kind() == TableKind.Ptp).GroupBy(t => (t.Table, t.Version)).OrderBy(g => g.Key.Table))
        {
            var parts = group.OrderBy(t => t.Part).ToList();
            var (table, version) = group.Key;
            var watch = Stopwatch.StartNew();
            // Parts are separate files: read them in parallel into their own row sets, then append in part order.
            var partRows = new PtpRows?[parts.Count];
            var failures = new CmsFileException?[parts.Count];
            Parallel.For(0, parts.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, k =>
            {
                var rows = new PtpRows(table);
                try
                {
                    using (var s = parts[k].Item.Open()) PtpTextFile.Read(s, parts[k].Item.Display, rows);
                    partRows[k] = rows;
                    progress?.Report($"{parts[k].Item.Display}: {rows.Count:N0} rows");
                }
                catch (CmsFileException e) { failures[k] = e; }
                catch (Exception e) when (e is IOException or InvalidDataException) { failures[k] = new CmsFileException(parts[k].Item.Display, 0, $"cannot be read: {e.Message}"); }
            });
            if (failures.Any(f => f is not null))
            {
                for (var k = 0; k < parts.Count; k++)
                    if (failures[k] is { } f) outcomes.Fail(parts[k].Item.Display, f, table, version);
                    else outcomes.Add(new(parts[k].Item.Display, FileOutcome.NotLoaded, $"read, but another part of {table.Name()} {version} failed", table, version));
                continue;
            }
            // Every part read: now the table must be whole.
            var duplicate = parts.GroupBy(p => p.Part).FirstOrDefault(g => g.Count() > 1);
            var expected = Math.Max(options.PtpParts, parts[^1].Part);
            var missing = Enumerable.Range(1, expected).Except(parts.Select(p => p.Part)).ToList();
            string? groupError = duplicate is not null
                ? $"part f{duplicate.Key} of {table.Name()} {version} was given twice ({string.Join(", ", duplicate.Select(d => d.Item.Display))})"
                : missing.Count > 0
                    ? $"{table.Name()} {version} is missing part(s) {string.Join(", ", missing.Select(m => $"f{m}"))}: CMS ships each PTP table as f1–f{expected}, and a missing part would leave its edits unchecked"
                    : null;
            if (groupError is not null)
            {
                outcomes.Fail(parts[0].Item.Display, groupError, table, version);
                foreach (var p in parts.Skip(1)) outcomes.Add(new(p.Item.Display, FileOutcome.NotLoaded, groupError, table, version));
                continue;
            }
            var sink = builder.Ptp(table, version, parts[0].EffectiveFrom);
            for (var k = 0; k < parts.Count; k++)
            {
                if (!sink.AppendFrom(partRows[k]!))
                {
                    outcomes.Fail(parts[k].Item.Display, $"the parts of {table.Name()} {version} name more than {PtpMeta.MaxRationales} distinct rationales together", table, version);
                    return;
                }
                builder.AddSource(table, version, parts[k].Item.Source);
                outcomes.Add(new(parts[k].Item.Display, FileOutcome.Loaded, $"part f{parts[k].Part} of {parts.Count}", table, version, partRows[k]!.Count));
            }
            loaded.Add(new ImportedTable(table, version, parts[0].EffectiveFrom, sink.Count, NeverInForce(sink), parts.Count, watch.Elapsed));
        }
    }

    private static int NeverInForce(PtpRows rows)
    {
        var n = 0;
        for (var i = 0; i < rows.Count; i++) if (rows.Deletion[i] < rows.Effective[i]) n++;
        return n;
    }

    private static void ReadSingleFiles(List<TableFile> tables, ImportOptions options, RuleSetBuilder builder, List<ImportedTable> loaded,
        Outcomes outcomes, IProgress<string>? progress)
    {
        foreach (var group in tables.Where(t => t.Table.Kind() != TableKind.Ptp).GroupBy(t => (t.Table, t.Version)).OrderBy(g => g.Key.Table))
        {
            var (table, version) = group.Key;
            var list = group.ToList();
            if (list.Count > 1)
            {
                outcomes.Fail(list[1].Item.Display, $"{list.Count} files hold {table.Name()} {version} ({string.Join(", ", list.Select(l => l.Item.Display))}); give one", table, version);
                foreach (var f in list.Where((_, i) => i != 1)) outcomes.Add(new(f.Item.Display, FileOutcome.NotLoaded, $"{table.Name()} {version} is given twice", table, version));
                continue;
            }
            var file = list[0];
            var watch = Stopwatch.StartNew();
            try
            {
                int rows, never;
                if (table == TableId.AddOn)
                {
                    List<AddOnRow> read;
                    using (var s = file.Item.Open())
                    using (var memory = SafeZip.ToMemory(s, options.Limits.MaxWorkbookBytes, file.Item.Display))
                    {
                        // An .xlsx is itself a zip: hold its parts to the same caps before the Open XML SDK inflates them.
                        try
                        {
                            using var parts = new ZipArchive(memory, ZipArchiveMode.Read, leaveOpen: true);
                            SafeZip.Entries(parts, file.Item.Display, options.Limits);
                        }
                        catch (InvalidDataException e) { throw new CmsFileException(file.Item.Display, 0, $"not a readable .xlsx workbook: {e.Message}"); }
                        memory.Position = 0;
                        read = AddOnWorkbook.Read(memory, file.Item.Display);
                    }
                    builder.AddAddOns(version, file.EffectiveFrom, read);
                    rows = read.Count;
                    never = read.Count(r => r.EditDeletion is { } d && d < r.EditEffective);
                }
                else
                {
                    List<MueRow> read;
                    using (var s = file.Item.Open()) read = MueCsvFile.Read(s, file.Item.Display, table);
                    builder.AddMue(table, version, file.EffectiveFrom, read);
                    rows = read.Count;
                    never = 0;
                }
                builder.AddSource(table, version, file.Item.Source);
                outcomes.Add(new(file.Item.Display, FileOutcome.Loaded, "", table, version, rows));
                loaded.Add(new ImportedTable(table, version, file.EffectiveFrom, rows, never, 1, watch.Elapsed));
                progress?.Report($"{file.Item.Display}: {rows:N0} rows");
            }
            catch (CmsFileException e)
            {
                outcomes.Fail(file.Item.Display, e, table, version);
            }
            catch (Exception e) when (e is IOException or InvalidDataException)
            {
                outcomes.Fail(file.Item.Display, $"cannot be read: {e.Message}", table, version);
            }
        }
    }

    /// <summary>The outcomes in the order the files were given (a zip, then its entries).</summary>
    private static ImportedFile[] Order(List<ImportedFile> outcomes, List<CmsInput> files)
    {
        var rank = files.Select((f, i) => (Path.GetFileName(f.Name), i)).GroupBy(x => x.Item1, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().i, StringComparer.OrdinalIgnoreCase);
        int Rank(ImportedFile f)
        {
            var top = f.File.Split('/')[0];
            return rank.TryGetValue(top, out var r) ? r : int.MaxValue;
        }
        return outcomes.Select((o, i) => (o, i)).OrderBy(x => Rank(x.o)).ThenBy(x => x.o.File.Contains('/') ? 1 : 0).ThenBy(x => x.i).Select(x => x.o).ToArray();
    }
}
