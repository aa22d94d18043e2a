using BenchmarkDotNet.Jobs;
using System.Diagnostics;
using System.Text;
using CodePairs.Functions.Http;
using CodePairs.Functions.RuleSets;
using CodePairs.Rules;
using CodePairs.Rules.Generation;
using CodePairs.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

// Partner API figures (issues 4 and 12), in process through the function class and IResult execution (DefaultHttpContext),
// one thread. Needs Azurite for the cold-start part (bash scripts/azurite.sh start).
// Usage: dotnet run -c Release --project bench/CodePairs.Bench.Api [-- <storage connection string>] [--probe] [--no-storage]
if (args.Contains("--bdn"))
{
    // The JSON path's steps, before and after, in one BenchmarkDotNet run (in process: the full release is built once).
    var config = BenchmarkDotNet.Configs.ManualConfig.Create(BenchmarkDotNet.Configs.DefaultConfig.Instance)
        .AddJob(BenchmarkDotNet.Jobs.Job.Default.WithToolchain(BenchmarkDotNet.Toolchains.InProcess.Emit.InProcessEmitToolchain.Instance)
            .WithWarmupCount(5).WithIterationCount(25))
        .AddColumn(BenchmarkDotNet.Columns.StatisticColumn.Median, BenchmarkDotNet.Columns.StatisticColumn.Min, BenchmarkDotNet.Columns.StatisticColumn.Max)
        .WithOptions(BenchmarkDotNet.Configs.ConfigOptions.DisableOptimizationsValidator)
        .AddLogicalGroupRules(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory);
    BenchmarkDotNet.Running.BenchmarkRunner.Run<CodePairs.Bench.Api.JsonPathBenchmarks>(config);
    return;
}
if (Array.IndexOf(args, "--write-batch") is var wb and >= 0 && wb + 1 < args.Length)
{
    // A 1,000-claim request body over the codes of the release scripts/run.sh publishes (small, seed 1), for a load
    // generator against a running host (docs/PERFORMANCE.md): a JSON array, or NDJSON with --ndjson.
    var small = ReleaseGenerator.Build(GeneratorOptions.Small(seed: 1)).Build();
    var pick = new Random(1);
    var smallCodes = Enumerable.Range(0, small.Codes.Count).Select(i => small.Codes.TextOf(i)).ToArray();
    var claims = Enumerable.Range(0, 1000).Select(k => $"{{\"claimId\":\"L-{k}\",\"setting\":\"practitioner\",\"dateOfService\":\"2026-08-03\",\"lines\":[" +
        string.Join(',', Enumerable.Range(0, 6).Select(_ => $"{{\"code\":\"{smallCodes[pick.Next(smallCodes.Length)]}\",\"units\":1}}")) + "]}");
    File.WriteAllText(args[wb + 1], args.Contains("--ndjson") ? string.Join('\n', claims) + "\n" : "[" + string.Join(',', claims) + "]");
    Console.WriteLine($"wrote {args[wb + 1]}: 1,000 six-line claims");
    return;
}
var connection = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "UseDevelopmentStorage=true";
var watch = Stopwatch.StartNew();
var rules = ReleaseGenerator.Build(GeneratorOptions.Full(seed: 7)).Build();
Console.WriteLine($"generated and built the full release in {watch.Elapsed.TotalSeconds:N1} s: {rules.Codes.Count:N0} codes, " +
                  string.Join(", ", rules.Versions.Select(v => $"{v.Table.Name()} {v.Rows:N0}")) + $" · {Environment.ProcessorCount} cores · .NET {Environment.Version}");

var services = new ServiceCollection().AddLogging().ConfigureHttpJsonOptions(CodePairs.Functions.ServiceRegistration.ConfigureJson).BuildServiceProvider();
var loaded = new LoadedRules(rules, new ClaimValidator(rules, [RulePack.Fluoroscopy77003]), "rs-bench", DateTimeOffset.UtcNow);
var function = new ClaimFunctions(new FixedRules(loaded), Options.Create(new ApiOptions()), NullLogger<ClaimFunctions>.Instance);
var random = new Random(7);
var codes = Enumerable.Range(0, rules.Codes.Count).Select(i => rules.Codes.CodeOf(i).ToString()).ToArray();
string ClaimJson() => "{\"claimId\":\"C-1\",\"setting\":\"practitioner\",\"dateOfService\":\"2026-08-03\",\"lines\":[" +
                      string.Join(',', Enumerable.Range(0, 6).Select(_ => $"{{\"code\":\"{codes[random.Next(codes.Length)]}\",\"units\":1}}")) + "]}";
var bodies = Enumerable.Range(0, 2048).Select(_ => Encoding.UTF8.GetBytes(ClaimJson())).ToArray();

async Task<(int Status, long Bytes)> Post(Func<HttpRequest, CancellationToken, Task<IResult>> route, byte[] body, string contentType = "application/json")
{
    var context = new DefaultHttpContext { RequestServices = services };
    context.Request.Method = "POST";
    context.Request.ContentType = contentType;
    context.Request.ContentLength = body.Length;
    context.Request.Body = new MemoryStream(body, writable: false);
    var output = new MemoryStream();
    context.Response.Body = output;
    var result = await route(context.Request, CancellationToken.None);
    await result.ExecuteAsync(context);
    return (context.Response.StatusCode, output.Length);
}

// Rates below are per wall-clock second (median and range over the samples) and, beside them, the process CPU time
// per claim: on a machine whose cores are shared the wall figure includes the time this thread waits for a core.
static string Cpu(List<double> cpuNs) => $"CPU {cpuNs.Order().ElementAt(cpuNs.Count / 2):N0} ns per claim (min {cpuNs.Min():N0}, max {cpuNs.Max():N0})";

// 1. One claim a request: the serializer path (before) and the fast path (after), sampled alternately.
{
    async Task<(double PerSecond, double CpuNs)> Sample(Func<HttpRequest, CancellationToken, Task<IResult>> route, int ms)
    {
        var cpu = Environment.CpuUsage.TotalTime;
        var t = Stopwatch.StartNew();
        var n = 0;
        while (t.ElapsedMilliseconds < ms)
            foreach (var b in bodies) { if ((await Post(route, b)).Status != 200) throw new InvalidOperationException("not 200"); n++; }
        return (n / t.Elapsed.TotalSeconds, (Environment.CpuUsage.TotalTime - cpu).TotalNanoseconds / n);
    }
    await Sample(function.ValidateWithSerializer, 2000);
    await Sample(function.Validate, 2000);
    var before = new List<double>();
    var after = new List<double>();
    var beforeCpu = new List<double>();
    var afterCpu = new List<double>();
    var ratio = new List<double>();
    for (var s = 0; s < 15; s++)
    {
        var (b, bc) = await Sample(function.ValidateWithSerializer, 200);
        var (a, ac) = await Sample(function.Validate, 200);
        before.Add(b); beforeCpu.Add(bc); after.Add(a); afterCpu.Add(ac);
        ratio.Add(a / b);
    }
    long oldBytes = 0, newBytes = 0;
    foreach (var b in bodies) { oldBytes += (await Post(function.ValidateWithSerializer, b)).Bytes; newBytes += (await Post(function.Validate, b)).Bytes; }
    Console.WriteLine($"one 6-line claim a request, JSON in -> validated -> JSON out, one thread, 15 alternating samples of 200 ms:");
    Console.WriteLine($"  serializer path (before): median {Median(before):N0} claims/s (min {before.Min():N0}, max {before.Max():N0}); {Cpu(beforeCpu)}");
    Console.WriteLine($"  fast path (after):        median {Median(after):N0} claims/s (min {after.Min():N0}, max {after.Max():N0}); {Cpu(afterCpu)}; after/before median {Median(ratio):N2}x; " +
                      $"mean response {newBytes / bodies.Length:N0} bytes ({(oldBytes == newBytes ? "same" : "DIFFERENT")} total as before)");
}

// 2. Batches of 1,000 six-line claims in one request (a JSON array, and NDJSON).
{
    byte[] Batch(bool lines)
    {
        var claims = Enumerable.Range(0, 1000).Select(_ => ClaimJson());
        return Encoding.UTF8.GetBytes(lines ? string.Join('\n', claims) + "\n" : "[" + string.Join(',', claims) + "]");
    }
    foreach (var (name, body, type) in new[] { ("JSON array", Batch(false), "application/json"), ("NDJSON", Batch(true), "application/x-ndjson") })
    {
        var t0 = Stopwatch.StartNew();
        while (t0.ElapsedMilliseconds < 2000) await Post(function.Validate, body, type);
        var samples = new List<double>();
        var cpuNs = new List<double>();
        long bytes = 0;
        for (var s = 0; s < 15; s++)
        {
            var cpu = Environment.CpuUsage.TotalTime;
            var t = Stopwatch.StartNew();
            var n = 0;
            while (t.ElapsedMilliseconds < 300) { var (status, b) = await Post(function.Validate, body, type); if (status != 200) throw new InvalidOperationException("not 200"); bytes = b; n++; }
            samples.Add(n * 1000 / t.Elapsed.TotalSeconds);
            cpuNs.Add((Environment.CpuUsage.TotalTime - cpu).TotalNanoseconds / (n * 1000.0));
        }
        Console.WriteLine($"batch of 1,000 claims as {name} ({body.Length / 1024.0:N0} KiB in, {bytes / 1024.0:N0} KiB out), one thread: median {Median(samples):N0} claims/s " +
                          $"(min {samples.Min():N0}, max {samples.Max():N0}) = {Median(samples) / 1000:N0} requests/s; {Cpu(cpuNs)}");
    }
}

if (args.Contains("--probe"))
{
    var validator = loaded.Validator;
    var options = JsonBody.Options;
    var parsedClaims = bodies.Select(b => ClaimDecoder.Decode(b, ClaimLimits.MaxLines).Claim!).ToArray();
    var results = parsedClaims.Select(c => validator.Validate(c)).ToArray();
    var buffer = new System.Buffers.ArrayBufferWriter<byte>(64 * 1024);
    var writer = new System.Text.Json.Utf8JsonWriter(buffer, new System.Text.Json.JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    foreach (var (name, action) in new (string, Action<int>)[]
    {
        ("serializer + ClaimParser (before)", i => ClaimParser.Parse(System.Text.Json.JsonSerializer.Deserialize<ClaimInput>(bodies[i], options)!)),
        ("ClaimJsonReader (after)", i => ClaimJsonReader.TryRead(bodies[i], ClaimLimits.MaxLines, out _)),
        ("validate", i => validator.Validate(parsedClaims[i])),
        ("serialize the response (before)", i => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new ClaimResponse(null, results[i].Clean, results[i].Lines, results[i].Findings, results[i].TablesUsed), CodePairsJson.Default.ClaimResponse)),
        ("ClaimJsonWriter (after)", i => { buffer.ResetWrittenCount(); writer.Reset(buffer); ClaimJsonWriter.WriteResponse(writer, null, results[i]); writer.Flush(); }),
    })
    {
        for (var w = 0; w < 200_000; w++) action(w % bodies.Length);
        var t = Stopwatch.StartNew(); var n = 0;
        while (t.ElapsedMilliseconds < 1000) { action(n % bodies.Length); n++; }
        Console.WriteLine($"probe {name}: {t.Elapsed.TotalNanoseconds / n:N0} ns per claim");
    }
    Console.WriteLine($"findings per claim: {results.Average(r => r.Findings.Count):N1}");
}

if (args.Contains("--no-storage")) return;

// 3. Cold start: a snapshot in blob storage + the active pointer -> a new cache (as a fresh worker) -> first answers.
//    "lazy" is the previous worker (the first request loads the set); "warm" starts the load with the worker
//    (RuleSetWarmup). Start -> first answer: a request sent at the worker's start. First answer latency: the first
//    request, sent 2 s after the start (a partner arriving once the instance is up).
var blobs = new Azure.Storage.Blobs.BlobServiceClient(connection);
var tables = new Azure.Data.Tables.TableServiceClient(connection);
var suffix = Guid.NewGuid().ToString("N")[..8];
var catalog = new TableRuleCatalog(tables, "benchcatalog" + suffix);
var snapshots = new BlobSnapshotStore(blobs, "bench-snapshots-" + suffix);
try
{
    var tablesOfSet = rules.Versions.Select(RulePublisher.Ref).ToArray();
    var ruleSetId = RuleSetIds.For(tablesOfSet);
    using (var snapshot = new MemoryStream())
    {
        CodePairs.Rules.Snapshots.RuleSnapshot.Write(snapshot, rules);
        snapshot.Position = 0;
        var sha = await snapshots.UploadAsync(BlobSnapshotStore.RuleSetBlob(ruleSetId), snapshot, default);
        Console.WriteLine($"snapshot: {snapshot.Length / 1048576.0:N1} MiB");
        await catalog.UpsertRuleSetAsync(new RuleSetEntry(ruleSetId, RuleSetStatus.Verified, tablesOfSet, "bench", null, sha, DateTimeOffset.UtcNow, null), default);
        await catalog.SetActiveAsync(ruleSetId, null, default);
    }
    var one = Encoding.UTF8.GetBytes(ClaimJson());
    async Task<(double StartToAnswerMs, double AnswerMs)> Start(bool warm, int delayMs)
    {
        GC.Collect();
        var start = Stopwatch.StartNew();
        var cache = new RuleSetCache(new StorageRuleSetSource(catalog, new RuleSetLoader(snapshots)), Options.Create(new RulesOptions()), TimeProvider.System,
            NullLogger<RuleSetCache>.Instance);
        if (warm) await new RuleSetWarmup(cache).StartAsync(default);
        var worker = new ClaimFunctions(cache, Options.Create(new ApiOptions()), NullLogger<ClaimFunctions>.Instance);
        if (delayMs > 0) await Task.Delay(delayMs);
        var sent = start.Elapsed;
        var (status, _) = await Post(worker.Validate, one);
        if (status != 200) throw new InvalidOperationException($"first answer {status}");
        return (start.Elapsed.TotalMilliseconds, (start.Elapsed - sent).TotalMilliseconds);
    }
    await Start(warm: true, 0); // JIT of the load path, outside the figures
    foreach (var warm in new[] { false, true })
    {
        var startToAnswer = new List<double>();
        var firstLatency = new List<double>();
        for (var run = 0; run < 7; run++)
        {
            startToAnswer.Add((await Start(warm, 0)).StartToAnswerMs);
            firstLatency.Add((await Start(warm, 2000)).AnswerMs);
        }
        Console.WriteLine($"{(warm ? "warm (load at the worker's start)" : "lazy (load at the first request, before)")}: start -> first answer median {Median(startToAnswer):N0} ms " +
                          $"(min {startToAnswer.Min():N0}, max {startToAnswer.Max():N0}); first answer latency 2 s after the start median {Median(firstLatency):N1} ms " +
                          $"(min {firstLatency.Min():N1}, max {firstLatency.Max():N1}); 7 runs each, fresh cache per run");
    }
}
finally
{
    await tables.DeleteTableAsync("benchcatalog" + suffix);
    await blobs.DeleteBlobContainerAsync("bench-snapshots-" + suffix);
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted[sorted.Length / 2];
}

internal sealed class FixedRules(LoadedRules loaded) : IActiveRules
{
    public LoadedRules? Current => loaded;
    public ValueTask<LoadedRules?> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult<LoadedRules?>(loaded);
}
