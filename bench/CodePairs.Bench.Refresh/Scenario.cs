using System.Diagnostics;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using CodePairs.Cli;
using CodePairs.Functions.Refresh;
using CodePairs.Rules;
using CodePairs.Rules.Cms;
using CodePairs.Rules.Generation;
using CodePairs.Storage;
using CodePairs.Tests.Shared;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

/// <summary>
/// What the fault runs and the kill -9 runs do, in a rule store of their own named by a tag: two steps, (1) a full
/// quarter (v322r0: six tables, PTP in f1–f4 zips, under CMS's download names) and (2) the next quarter's three MUE
/// tables, either published with <c>rules publish</c> (the CLI command itself, its own storage clients) or dropped into
/// a drop container and refreshed by <see cref="RefreshJob"/> (one timer run per drop). One version per table in a rule
/// set; the refresh keeps no retired rule set, so step 2 retires the first and retention deletes the rows of the MUE
/// versions only it named. The generated files are written once per scale under the temp folder and reused, so every
/// run (and every process) reads the same bytes.
/// </summary>
internal sealed class Scenario
{
    public const string Connection = "UseDevelopmentStorage=true";
    public static readonly StorageSettings Settings = new(StorageNames.Connection, Connection, null, null, null, null, null);

    /// <summary>Fault-free clients: uploads of the drops, the final state, cleanup.</summary>
    public static readonly TableServiceClient Tables = new(Connection);
    public static readonly BlobServiceClient Blobs = new(Connection);

    public Scenario(string tag, string scale)
    {
        Tag = tag.ToLowerInvariant();
        if (!Tag.All(char.IsAsciiLetterOrDigit) || Tag.Length is 0 or > 24) throw new ArgumentException("a tag is 1-24 letters and digits");
        Names = new RuleStoreNames("BenchCat" + Tag, "BenchEdits" + Tag, "bench-snap-" + Tag).Validated();
        DropContainer = "bench-drop-" + Tag;
        Steps = Files(scale);
    }

    public string Tag { get; }
    public RuleStoreNames Names { get; }
    public string DropContainer { get; }
    public IReadOnlyList<(string Name, string Folder)> Steps { get; }

    /// <summary>Tries slower than 1.5 s (stalls cut by the network timeout, and slow answers), for the report.</summary>
    public SlowTries Slow { get; } = new();

    /// <summary>The step being run (1-based), for crash points named "point@step".</summary>
    public int Step { get; private set; }

    /// <summary>Kill runs: where the step a run starts is written, so that the rerun after a kill starts at the step
    /// that died (as an operator reruns the command that failed; the steps before it had finished).</summary>
    public bool Resumable { get; init; }

    private string StepFile => Path.Combine(Path.GetTempPath(), $"codepairs-chaos-{Tag}.step");

    private int FirstStep() => Resumable && File.Exists(StepFile) ? int.Parse(File.ReadAllText(StepFile), System.Globalization.CultureInfo.InvariantCulture) : 1;

    private void Starting(int step)
    {
        if (Resumable) File.WriteAllText(StepFile, step.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private void Finished()
    {
        if (Resumable) File.Delete(StepFile);
    }

    /// <summary>The two steps' CMS files (zips, no manifest), generated once per scale.</summary>
    public static IReadOnlyList<(string Name, string Folder)> Files(string scale)
    {
        var root = Path.Combine(Path.GetTempPath(), $"codepairs-bench-refresh-{scale}");
        var (full, mue) = scale switch
        {
            "full" => (GeneratorOptions.Full() with { ReleaseId = "v322r0" }, GeneratorOptions.Full(seed: 2) with { ReleaseId = "v323r0" }),
            "small" => (GeneratorOptions.Small(1) with { ReleaseId = "v322r0" }, GeneratorOptions.Small(2) with { ReleaseId = "v323r0" }),
            _ => throw new ArgumentException($"--scale: '{scale}' is not 'full' or 'small'"),
        };
        var steps = new List<(string, string)>();
        foreach (var (name, options) in new[] { ("v322r0", full), ("mueq4", mue with { Tables = [TableId.MuePractitioner, TableId.MueHospital, TableId.MueDme] }) })
        {
            var folder = Path.Combine(root, name);
            if (!File.Exists(Path.Combine(folder, ".complete")))
            {
                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
                Directory.CreateDirectory(folder);
                var clock = Stopwatch.StartNew();
                new ReleaseGenerator(options).WriteFiles(file => File.Create(Path.Combine(folder, file)));
                File.Delete(Path.Combine(folder, CmsNames.ManifestName)); // operators drop the CMS zips only
                File.WriteAllText(Path.Combine(folder, ".complete"), "");
                Console.Error.WriteLine($"generated {scale} {name} in {clock.Elapsed.TotalSeconds:F1} s ({folder})");
            }
            steps.Add((name, folder));
        }
        return steps;
    }

    public static IEnumerable<FileInfo> CmsFiles(string folder) => new DirectoryInfo(folder).GetFiles().Where(f => !f.Name.StartsWith('.')).OrderBy(f => f.Name, StringComparer.Ordinal);

    /// <summary>Both steps with <c>rules publish</c>; returns the time spent in the command (reading the files included,
    /// as an operator sees it).</summary>
    public TimeSpan Publish(FaultInjectionPolicy? faults, Action<string>? atPoint = null)
    {
        var err = new StringWriter();
        var command = new PublishCommand(new Commands(TextWriter.Null, err), TextWriter.Null, err)
        {
            ConfigureClients = o =>
            {
                SlowTries.Install(o, Slow);
                if (faults is not null) FaultInjectionPolicy.Install(o, faults);
            },
            AtPoint = atPoint,
        };
        var clock = Stopwatch.StartNew();
        for (Step = FirstStep(); Step <= Steps.Count; Step++)
        {
            Starting(Step);
            var code = command.Run([Steps[Step - 1].Folder], Connection, activate: true, versionsPerTable: 1, names: Names);
            if (code != ExitCodes.Ok) throw new InvalidOperationException($"rules publish {Steps[Step - 1].Name} exited {code}: {err}");
        }
        Finished();
        return clock.Elapsed;
    }

    /// <summary>Both steps with the refresh job (each drop uploaded first, once, fault-free); returns the time spent in the
    /// job. A run that finds the lease of a killed run still held runs as the next timer run after it expired would.</summary>
    public async Task<TimeSpan> RefreshAsync(FaultInjectionPolicy? faults, Action<string>? atPoint = null)
    {
        var tables = Settings.CreateTableServiceClient(o => { SlowTries.Install(o, Slow); if (faults is not null) FaultInjectionPolicy.Install(o, faults); });
        var blobs = Settings.CreateBlobServiceClient(o => { SlowTries.Install(o, Slow); if (faults is not null) FaultInjectionPolicy.Install(o, faults); });
        var held = await new TableRefreshJobRow(Tables, Names.CatalogTable).GetAsync(default);
        TimeProvider clock = held.State == RefreshState.Running ? new Shifted(TableRefreshJobRow.LeaseDuration + TimeSpan.FromMinutes(1)) : TimeProvider.System;

        var catalog = new TableRuleCatalog(tables, Names.CatalogTable, clock);
        var checkpoints = new TableCheckpointStore(tables, Names.CatalogTable);
        var publisher = new RulePublisher(catalog, new TableRuleEditsStore(tables, Names.EditsTable), new BlobSnapshotStore(blobs, Names.SnapshotsContainer), checkpoints, clock)
            { AtPoint = atPoint };
        var stores = new RefreshStores(publisher, checkpoints, new TableRefreshJobRow(tables, Names.CatalogTable, clock), new DropContainerSource(blobs, DropContainer), new BlobReleaseFiles(blobs), null);
        var job = new RefreshJob(stores, Options.Create(new RefreshOptions { RetainRuleSets = 0, VersionsPerTable = 1 }), clock, NullLogger<RefreshJob>.Instance)
            { AtPoint = atPoint };

        var watch = new Stopwatch();
        for (Step = FirstStep(); Step <= Steps.Count; Step++)
        {
            Starting(Step);
            var (name, folder) = Steps[Step - 1];
            await UploadAsync(name, folder);
            watch.Start();
            var outcome = await job.RunAsync(new RefreshRequest("timer", name), CancellationToken.None);
            watch.Stop();
            if (!outcome.Started) throw new InvalidOperationException($"refresh {name}: another run holds the lease ({outcome.Status.Step})");
            var mine = outcome.Candidates.SingleOrDefault(c => c.Candidate == name)
                ?? throw new InvalidOperationException($"refresh {name}: not found ({outcome.Status.LastError})");
            if (mine.Result is not (CandidateResult.Activated or CandidateResult.Unchanged or CandidateResult.Skipped)) throw new InvalidOperationException($"refresh {name}: {mine.Result}: {mine.Detail}");
        }
        Finished();
        return watch.Elapsed;
    }

    private async Task UploadAsync(string name, string folder)
    {
        var container = Blobs.GetBlobContainerClient(DropContainer);
        await container.CreateIfNotExistsAsync();
        var ready = container.GetBlobClient($"{name}/{DropContainerSource.ReadyMarker}");
        if ((await ready.ExistsAsync()).Value) return;
        foreach (var f in CmsFiles(folder)) await container.GetBlobClient($"{name}/{f.Name}").UploadAsync(f.FullName, overwrite: true);
        await ready.UploadAsync(new BinaryData([]), overwrite: true);
    }

    public Task<RuleStoreState> StateAsync() => RuleStoreState.ReadAsync(Tables, Blobs, Names);

    public async Task CleanAsync()
    {
        File.Delete(StepFile);
        await Tables.DeleteTableAsync(Names.CatalogTable);
        await Tables.DeleteTableAsync(Names.EditsTable);
        await Blobs.GetBlobContainerClient(Names.SnapshotsContainer).DeleteIfExistsAsync();
        await Blobs.GetBlobContainerClient(DropContainer).DeleteIfExistsAsync();
    }

    /// <summary>The clock of a later run: the dead run's lease (10 minutes) has expired.</summary>
    private sealed class Shifted(TimeSpan by) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + by;
    }
}
