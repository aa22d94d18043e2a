using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using CodePairs.Functions.Refresh;
using CodePairs.Functions.RuleSets;
using CodePairs.Functions.Tests.Storage;
using CodePairs.Rules.Generation;
using CodePairs.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CodePairs.Functions.Tests.Refresh;

/// <summary>One isolated refresh world on Azurite: its own catalogue and edits tables, snapshot and drop containers,
/// a job, an in-memory rule set fed from its storage, and the functions. <see cref="Tables"/> and <see cref="Blobs"/>
/// (what the test's own helpers use) are the fixture's; the job and its stores may get others (fault tests).</summary>
internal sealed class RefreshWorld
{
    public RefreshWorld(AzuriteFixture azurite, TimeProvider? clock = null, IUrlSource? urls = null, RefreshOptions? options = null,
        TableServiceClient? jobTables = null, BlobServiceClient? jobBlobs = null)
    {
        clock ??= TimeProvider.System;
        Storage = new StorageStack(azurite, clock, packs: [], jobTables, jobBlobs);
        Tables = azurite.Tables;
        Blobs = azurite.Blobs;
        DropContainer = azurite.NewContainerName("drop");
        Options = Microsoft.Extensions.Options.Options.Create(options ?? new RefreshOptions { RetainRuleSets = 1 });
        Stores = new RefreshStores(Storage.Publisher, Storage.Checkpoints, new TableRefreshJobRow(jobTables ?? Tables, Storage.CatalogTable, clock),
            new DropContainerSource(jobBlobs ?? Blobs, DropContainer), new BlobReleaseFiles(jobBlobs ?? Blobs), urls);
        Job = new RefreshJob(Stores, Options, clock, NullLogger<RefreshJob>.Instance, Storage.Cache);
        Functions = new RefreshFunctions(Job, Storage.Publisher, Options, Storage.Cache, NullLogger<RefreshFunctions>.Instance);
    }

    public StorageStack Storage { get; }
    public TableServiceClient Tables { get; }
    public BlobServiceClient Blobs { get; }
    public string DropContainer { get; }
    public IOptions<RefreshOptions> Options { get; }
    public TableRuleCatalog Catalog => Storage.Catalog;
    public RuleSetCache Cache => Storage.Cache;
    public RulePublisher Publisher => Storage.Publisher;
    public RefreshStores Stores { get; }
    public RefreshJob Job { get; }
    public RefreshFunctions Functions { get; }

    /// <summary>The rule store's final state (<see cref="CodePairs.Tests.Shared.RuleStoreState"/>), read with fault-free clients.</summary>
    public Task<CodePairs.Tests.Shared.RuleStoreState> StateAsync() => CodePairs.Tests.Shared.RuleStoreState.ReadAsync(Tables, Blobs, Storage.Names);

    public async Task<string?> ActiveIdAsync() => (await Catalog.GetActiveAsync(default))?.RuleSetId;

    public Task<RuleSetEntry> ActiveAsync() => Storage.ActiveAsync();

    /// <summary>Uploads the files into <c>{folder}/</c> of the drop container, then the <c>ready</c> marker.</summary>
    public async Task DropAsync(string folder, IReadOnlyDictionary<string, byte[]> files, bool ready = true)
    {
        var container = Blobs.GetBlobContainerClient(DropContainer);
        await container.CreateIfNotExistsAsync();
        foreach (var (name, bytes) in files)
            await container.GetBlobClient($"{folder}/{name}").UploadAsync(new BinaryData(bytes), overwrite: true);
        if (ready) await container.GetBlobClient($"{folder}/{DropContainerSource.ReadyMarker}").UploadAsync(new BinaryData([]), overwrite: true);
    }

    /// <summary>Entity count and a SHA-256 over every stored rule entity (keys and properties, sorted).</summary>
    public async Task<(int Count, string Hash)> StoredStateAsync()
    {
        var table = Tables.GetTableClient(Storage.EditsTable);
        var lines = new List<string>();
        await table.CreateIfNotExistsAsync();
        await foreach (var e in table.QueryAsync<TableEntity>())
        {
            var sb = new StringBuilder().Append(e.PartitionKey).Append('|').Append(e.RowKey);
            foreach (var (k, v) in e.Where(p => p.Key is not ("odata.etag" or "Timestamp" or "PartitionKey" or "RowKey")).OrderBy(p => p.Key, StringComparer.Ordinal))
                sb.Append('|').Append(k).Append('=').Append(v is byte[] b ? Convert.ToBase64String(b) : v is BinaryData d ? Convert.ToBase64String(d.ToArray()) : Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture));
            lines.Add(sb.ToString());
        }
        lines.Sort(StringComparer.Ordinal);
        return (lines.Count, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', lines)))));
    }
}

internal static class RefreshFiles
{
    private static readonly Dictionary<(string, int), IReadOnlyDictionary<string, byte[]>> Cache = [];

    /// <summary>A small generated quarter as CMS ships it (zips only: operators drop what they downloaded, no manifest).</summary>
    public static IReadOnlyDictionary<string, byte[]> Small(string releaseId, int seed = 1)
    {
        lock (Cache)
        {
            if (Cache.TryGetValue((releaseId, seed), out var files)) return files;
            var captured = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            new ReleaseGenerator(GeneratorOptions.Small(seed) with { ReleaseId = releaseId })
                .WriteFiles(name => new CapturingStream(bytes => captured[name] = bytes));
            captured.Remove(CodePairs.Rules.Cms.CmsNames.ManifestName);
            return Cache[(releaseId, seed)] = captured;
        }
    }

    /// <summary>A small generated quarter's three MUE tables alone (the usual quarterly drop), as CMS ships them.</summary>
    public static IReadOnlyDictionary<string, byte[]> SmallMue(string releaseId, int seed = 2)
    {
        var captured = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        new ReleaseGenerator(GeneratorOptions.Small(seed) with
            {
                ReleaseId = releaseId,
                Tables = [CodePairs.Rules.TableId.MuePractitioner, CodePairs.Rules.TableId.MueHospital, CodePairs.Rules.TableId.MueDme],
            })
            .WriteFiles(name => new CapturingStream(bytes => captured[name] = bytes));
        captured.Remove(CodePairs.Rules.Cms.CmsNames.ManifestName);
        return captured;
    }

    /// <summary>The three genuine 2026 Q4 MUE files as CMS's downloads (../shared/cms-samples).</summary>
    public static IReadOnlyDictionary<string, byte[]> GenuineMueQ4()
        => CodePairs.Tests.Shared.GenuineSamples.MueQ4Downloads().ToDictionary(f => f.Name, f => f.Bytes);

    /// <summary>The release with one PTP row of the practitioner f1 .TXT made invalid (its effective date), at
    /// 1-based line <paramref name="line"/> of that file. Returns the files and the .TXT's name.</summary>
    public static (IReadOnlyDictionary<string, byte[]> Files, string Zip, string Txt) WithBadPtpRow(string releaseId, int line)
    {
        var files = new Dictionary<string, byte[]>(Small(releaseId), StringComparer.Ordinal);
        var zipName = files.Keys.Single(k => k.Contains("ccipra", StringComparison.OrdinalIgnoreCase) && k.EndsWith("-f1.zip", StringComparison.OrdinalIgnoreCase));
        using var output = new MemoryStream();
        string txt = "";
        using (var source = new ZipArchive(new MemoryStream(files[zipName]), ZipArchiveMode.Read))
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                using var read = entry.Open();
                using var buffer = new MemoryStream();
                read.CopyTo(buffer);
                var bytes = buffer.ToArray();
                if (entry.Name.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
                {
                    txt = entry.Name;
                    var lines = Encoding.Latin1.GetString(bytes).Split("\r\n");
                    var cells = lines[line - 1].Split('\t');
                    cells[3] = "2023X101";
                    lines[line - 1] = string.Join('\t', cells);
                    bytes = Encoding.Latin1.GetBytes(string.Join("\r\n", lines));
                }
                using var write = target.CreateEntry(entry.FullName).Open();
                write.Write(bytes);
            }
        }
        files[zipName] = output.ToArray();
        return (files, zipName, txt);
    }

    private sealed class CapturingStream(Action<byte[]> done) : MemoryStream
    {
        private bool _done;

        protected override void Dispose(bool disposing)
        {
            if (!_done) { _done = true; done(ToArray()); }
            base.Dispose(disposing);
        }
    }
}

/// <summary>Reports on the caller's thread, so a test can cancel exactly after N transactions.</summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
