using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;

namespace CodePairs.Rules.Cms;

/// <summary>A file handed to an import: its name (which says what it is) and a way to open it.</summary>
public sealed record CmsInput(string Name, Func<Stream> Open);

/// <summary>How many rows one table got, from how many files.</summary>
public sealed record CmsTableCount(string Table, string Version, int Rows, int Files, TimeSpan Elapsed);

/// <summary>The rows of one release read from CMS files, ready for <see cref="RuleSet.Build"/>.</summary>
public sealed record CmsImportResult(ReleaseBuilder Release, IReadOnlyList<CmsTableCount> Tables, IReadOnlyList<string> Ignored);

/// <summary>
/// Reads a release from the files CMS publishes, loose or zipped: PTP <c>.TXT</c> (four parts per table), the AOC
/// <c>.xlsx</c>, MUE <c>.csv</c>s and an optional <c>release.json</c> manifest. All or nothing: any bad file throws
/// <see cref="CmsFileException"/> and no rows are returned.
/// </summary>
public static class CmsImport
{
    public static CmsImportResult Import(IEnumerable<CmsInput> inputs, ZipLimits? limits = null, IProgress<string>? progress = null)
    {
        limits ??= ZipLimits.Default;
        var files = inputs.ToList();
        var ignored = new List<string>();

        ReleaseManifest? manifest = null;
        var manifestFile = files.FirstOrDefault(f => CmsNames.Classify(f.Name).Kind == CmsFileKind.Manifest);
        if (manifestFile is not null)
        {
            using var s = manifestFile.Open();
            manifest = ReleaseManifest.Read(s, manifestFile.Name);
            Verify(manifest, manifestFile.Name, files);
        }

        // Expand zips into their entries (an entry is classified by its own name; the zip's name only says where it came from).
        var entries = new List<(CmsFileName Name, string Display, Func<Stream> Open, ZipArchive? Owner)>();
        var archives = new List<(Stream, ZipArchive)>();
        try
        {
            foreach (var file in files)
            {
                var kind = CmsNames.Classify(file.Name);
                if (kind.Kind == CmsFileKind.Manifest) continue;
                if (file.Name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
                {
                    var stream = file.Open();
                    ZipArchive zip;
                    try { zip = new ZipArchive(stream, ZipArchiveMode.Read); }
                    catch (InvalidDataException e) { stream.Dispose(); throw new CmsFileException(Path.GetFileName(file.Name), 0, $"not a readable zip archive: {e.Message}"); }
                    archives.Add((stream, zip));
                    foreach (var (entryName, open) in SafeZip.Entries(zip, Path.GetFileName(file.Name), limits))
                    {
                        var entryKind = CmsNames.Classify(entryName);
                        var wanted = entryKind.Kind switch
                        {
                            CmsFileKind.Ptp => entryName.EndsWith(".txt", StringComparison.OrdinalIgnoreCase),
                            CmsFileKind.AddOn => entryName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase),
                            CmsFileKind.Mue => entryName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase),
                            _ => false,
                        };
                        if (wanted) entries.Add((entryKind, $"{Path.GetFileName(file.Name)}/{entryName}", open, zip));
                        else ignored.Add($"{Path.GetFileName(file.Name)}/{entryName}");
                    }
                }
                else if (kind.Kind != CmsFileKind.Unknown) entries.Add((kind, Path.GetFileName(file.Name), file.Open, null));
                else ignored.Add(Path.GetFileName(file.Name));
            }
            return Read(entries, manifest, ignored, progress, limits);
        }
        finally
        {
            foreach (var (stream, zip) in archives) { zip.Dispose(); stream.Dispose(); }
        }
    }

    private static CmsImportResult Read(List<(CmsFileName Name, string Display, Func<Stream> Open, ZipArchive? Owner)> entries,
        ReleaseManifest? manifest, List<string> ignored, IProgress<string>? progress, ZipLimits limits)
    {
        if (entries.Count == 0) throw new CmsFileException("(input)", 0, "no CMS PTP, AOC or MUE file was given");
        var ptp = entries.Where(e => e.Name.Kind == CmsFileKind.Ptp).ToList();
        var ids = ptp.Select(e => e.Name.ReleaseId!).Distinct().ToList();
        if (ids.Count > 1) throw new CmsFileException("(input)", 0, $"PTP files of several releases were given ({string.Join(", ", ids)}); import one release at a time");
        var id = manifest?.Release ?? ids.FirstOrDefault();
        if (manifest is not null && ids.Count == 1 && !ids[0].Equals(manifest.Release, StringComparison.OrdinalIgnoreCase))
            throw new CmsFileException(CmsNames.ManifestName, 0, $"the manifest says release {manifest.Release}, the PTP files say {ids[0]}");
        DateOnly effective;
        if (manifest is not null) effective = manifest.EffectiveFrom;
        else if (id is not null && CmsNames.TryReleaseStart(id, out var start)) effective = start;
        else
        {
            var mue = entries.FirstOrDefault(e => e.Name.EffectiveFrom is not null);
            if (mue.Name is null) throw new CmsFileException("(input)", 0, "cannot tell the release: give PTP files or a release.json manifest");
            effective = mue.Name.EffectiveFrom!.Value;
            id = CmsNames.ReleaseIdFor(effective);
        }
        var builder = new ReleaseBuilder(id!, effective);
        var counts = new List<CmsTableCount>();

        foreach (var group in ptp.GroupBy(e => e.Name.Ptp!.Value).OrderBy(g => g.Key))
        {
            var parts = group.OrderBy(e => e.Name.Part).ToList();
            var duplicate = parts.GroupBy(p => p.Name.Part).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
                throw new CmsFileException(duplicate.First().Display, 0, $"part f{duplicate.Key} of the {group.Key.Name()} table was given twice");
            var missing = Enumerable.Range(1, parts[^1].Name.Part).Except(parts.Select(p => p.Name.Part)).ToList();
            if (missing.Count > 0)
                throw new CmsFileException(parts[0].Display, 0, $"the {group.Key.Name()} table is missing part(s) {string.Join(", ", missing.Select(m => $"f{m}"))}");
            var watch = Stopwatch.StartNew();
            var sink = builder.PtpTable(group.Key, id!);
            // Parts are separate files: read them in parallel into their own row sets, then append in part order.
            var partRows = new ReleaseBuilder.PtpRows[parts.Count];
            var failures = new Exception?[parts.Count];
            Parallel.For(0, parts.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, k =>
            {
                try
                {
                    var rows = new ReleaseBuilder(id!, effective).PtpTable(group.Key, id!);
                    using (var s = parts[k].Open()) PtpTextFile.Read(s, parts[k].Display, rows);
                    partRows[k] = rows;
                    progress?.Report($"{parts[k].Display}: {rows.Count:N0} rows");
                }
                catch (Exception e) { failures[k] = e; }
            });
            if (failures.FirstOrDefault(f => f is not null) is { } failure)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
            foreach (var rows in partRows) sink.AppendFrom(rows);
            counts.Add(new CmsTableCount(group.Key.Name(), id!, sink.Count, parts.Count, watch.Elapsed));
        }

        var aoc = entries.Where(e => e.Name.Kind == CmsFileKind.AddOn).ToList();
        if (aoc.Count > 1) throw new CmsFileException(aoc[1].Display, 0, $"two AOC workbooks were given ({aoc[0].Display}, {aoc[1].Display})");
        if (aoc.Count == 1)
        {
            var watch = Stopwatch.StartNew();
            using var s = aoc[0].Open();
            using var memory = SafeZip.ToMemory(s);
            // An .xlsx is itself a zip: hold its parts to the same caps before the Open XML SDK inflates them.
            try
            {
                using var parts = new ZipArchive(memory, ZipArchiveMode.Read, leaveOpen: true);
                SafeZip.Entries(parts, aoc[0].Display, limits);
            }
            catch (InvalidDataException e) { throw new CmsFileException(aoc[0].Display, 0, $"not a readable .xlsx workbook: {e.Message}"); }
            memory.Position = 0;
            var rows = AddOnWorkbook.Read(memory, aoc[0].Display);
            builder.AddAddOns(aoc[0].Name.Version!, aoc[0].Name.EffectiveFrom!.Value, rows);
            counts.Add(new CmsTableCount(TableNames.AddOn, aoc[0].Name.Version!, rows.Count, 1, watch.Elapsed));
            progress?.Report($"{aoc[0].Display}: {rows.Count:N0} rows");
        }

        foreach (var group in entries.Where(e => e.Name.Kind == CmsFileKind.Mue).GroupBy(e => e.Name.Mue!.Value).OrderBy(g => g.Key))
        {
            var list = group.ToList();
            if (list.Count > 1) throw new CmsFileException(list[1].Display, 0, $"two {group.Key.Name()} files were given ({list[0].Display}, {list[1].Display})");
            var file = list[0];
            if (file.Name.EffectiveFrom is null) throw new CmsFileException(file.Display, 0, "the file name carries no valid effective date (…_Eff_MM-DD-YYYY.csv)");
            var watch = Stopwatch.StartNew();
            using var s = file.Open();
            var rows = MueCsvFile.Read(s, file.Display, group.Key);
            builder.AddMue(group.Key, file.Name.Version!, file.Name.EffectiveFrom.Value, rows);
            counts.Add(new CmsTableCount(group.Key.Name(), file.Name.Version!, rows.Count, 1, watch.Elapsed));
            progress?.Report($"{file.Display}: {rows.Count:N0} rows");
        }
        return new CmsImportResult(builder, counts, ignored);
    }

    private static void Verify(ReleaseManifest manifest, string manifestName, List<CmsInput> files)
    {
        var byName = files.ToDictionary(f => Path.GetFileName(f.Name), StringComparer.OrdinalIgnoreCase);
        foreach (var listed in manifest.Files)
        {
            if (!byName.TryGetValue(listed.Name, out var file))
                throw new CmsFileException(manifestName, 0, $"lists '{listed.Name}', which was not given");
            if (listed.Sha256 is { Length: > 0 } expected)
            {
                using var s = file.Open();
                var actual = Convert.ToHexStringLower(SHA256.HashData(s));
                if (!actual.Equals(expected, StringComparison.OrdinalIgnoreCase))
                    throw new CmsFileException(listed.Name, 0, $"SHA-256 is {actual}, but {manifestName} says {expected}");
            }
        }
        var listedNames = manifest.Files.Select(f => f.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var extra = files.Select(f => Path.GetFileName(f.Name))
            .Where(n => !listedNames.Contains(n) && CmsNames.Classify(n).Kind is CmsFileKind.Ptp or CmsFileKind.AddOn or CmsFileKind.Mue)
            .ToList();
        if (extra.Count > 0)
            throw new CmsFileException(manifestName, 0, $"does not list {string.Join(", ", extra)}; remove the file or add it to the manifest");
    }
}
