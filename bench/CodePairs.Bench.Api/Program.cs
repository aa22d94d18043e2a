using System.Diagnostics;
using System.Text;
using CodePairs.Functions.Http;
using CodePairs.Functions.Rules;
using CodePairs.Rules;
using CodePairs.Rules.Generation;
using CodePairs.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

// Partner API figures (issue 4). Needs Azurite for the cold-load part (bash scripts/azurite.sh start).
// Usage: dotnet run -c Release --project bench/CodePairs.Bench.Api [-- <storage connection string>]
var connection = args.FirstOrDefault() ?? "UseDevelopmentStorage=true";
var watch = Stopwatch.StartNew();
var rules = ReleaseGenerator.Build(GeneratorOptions.Full(seed: 7)).Build();
Console.WriteLine($"generated and built the full release in {watch.Elapsed.TotalSeconds:N1} s: {rules.Codes.Count:N0} codes, " +
                  string.Join(", ", rules.Versions.Select(v => $"{v.Table.Name()} {v.Rows:N0}")));

// 1. JSON in -> validated -> JSON out, one thread, through the real function and IResult execution.
var services = new ServiceCollection().AddLogging().ConfigureHttpJsonOptions(CodePairs.Functions.ServiceRegistration.ConfigureJson).BuildServiceProvider();
var loaded = new LoadedRules(rules, new ClaimValidator(rules, [RulePack.Fluoroscopy77003]), "rs-bench", DateTimeOffset.UtcNow);
var function = new ClaimFunctions(new FixedRules(loaded), Options.Create(new ApiOptions()), NullLogger<ClaimFunctions>.Instance);
var random = new Random(7);
var codes = Enumerable.Range(0, rules.Codes.Count).Select(i => rules.Codes.CodeOf(i).ToString()).ToArray();
var bodies = Enumerable.Range(0, 2048).Select(_ => Encoding.UTF8.GetBytes(
    "{\"claimId\":\"C-1\",\"setting\":\"practitioner\",\"dateOfService\":\"2026-08-03\",\"lines\":[" +
    string.Join(',', Enumerable.Range(0, 6).Select(_ => $"{{\"code\":\"{codes[random.Next(codes.Length)]}\",\"units\":1}}")) + "]}")).ToArray();
long bytesOut = 0;
async Task<int> One(byte[] body)
{
    var context = new DefaultHttpContext { RequestServices = services };
    context.Request.Method = "POST";
    context.Request.ContentType = "application/json";
    context.Request.ContentLength = body.Length;
    context.Request.Body = new MemoryStream(body, writable: false);
    var output = new MemoryStream();
    context.Response.Body = output;
    var result = await function.Validate(context.Request, CancellationToken.None);
    await result.ExecuteAsync(context);
    bytesOut += output.Length;
    return context.Response.StatusCode;
}
var warm = Stopwatch.StartNew();
while (warm.ElapsedMilliseconds < 2000) foreach (var b in bodies) await One(b);
var samples = new List<double>();
for (var s = 0; s < 15; s++)
{
    var t = Stopwatch.StartNew();
    var n = 0;
    while (t.ElapsedMilliseconds < 200) foreach (var b in bodies) { if (await One(b) != 200) throw new InvalidOperationException("not 200"); n++; }
    samples.Add(n / t.Elapsed.TotalSeconds);
}
samples.Sort();
bytesOut = 0;
foreach (var b in bodies) await One(b);
Console.WriteLine($"JSON in -> validated -> JSON out, 6-line claims, one thread: median {samples[7]:N0} claims/s (min {samples[0]:N0}, max {samples[^1]:N0}); " +
                  $"mean response {bytesOut / bodies.Length:N0} bytes");

if (args.Contains("--probe"))
{
    var validator = loaded.Validator;
    var options = CodePairs.Functions.Http.JsonBody.Options;
    var parsedClaims = bodies.Select(b => ClaimParser.Parse(System.Text.Json.JsonSerializer.Deserialize<ClaimInput>(b, options)!).Claim!).ToArray();
    var results = parsedClaims.Select(c => validator.Validate(c)).ToArray();
    foreach (var (name, action) in new (string, Action<int>)[]
    {
        ("deserialize+parse", i => ClaimParser.Parse(System.Text.Json.JsonSerializer.Deserialize<ClaimInput>(bodies[i], options)!)),
        ("validate", i => validator.Validate(parsedClaims[i])),
        ("serialize response", i => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new ClaimResponse(null, results[i].Clean, results[i].Lines, results[i].Findings, results[i].TablesUsed), CodePairs.Functions.Http.CodePairsJson.Default.ClaimResponse)),
    })
    {
        var t = Stopwatch.StartNew(); var n = 0;
        while (t.ElapsedMilliseconds < 1000) { action(n % bodies.Length); n++; }
        Console.WriteLine($"probe {name}: {t.Elapsed.TotalNanoseconds / n:N0} ns per claim");
    }
    Console.WriteLine($"findings per claim: {results.Average(r => r.Findings.Count):N1}");
}

// 2. Cold load: snapshot in blob storage + active pointer -> a new cache (as a fresh worker) -> first answer.
var blobs = new Azure.Storage.Blobs.BlobServiceClient(connection);
var tables = new Azure.Data.Tables.TableServiceClient(connection);
var suffix = Guid.NewGuid().ToString("N")[..8];
var catalog = new TableRuleCatalog(tables, "benchcatalog" + suffix);
var snapshots = new BlobSnapshotStore(blobs, "bench-snapshots-" + suffix);
var tablesOfSet = rules.Versions.Select(RulePublisher.Ref).ToArray();
var ruleSetId = RuleSetIds.For(tablesOfSet);
using (var buffer = new MemoryStream())
{
    CodePairs.Rules.Snapshots.RuleSnapshot.Write(buffer, rules);
    buffer.Position = 0;
    var sha = await snapshots.UploadAsync(BlobSnapshotStore.RuleSetBlob(ruleSetId), buffer, default);
    Console.WriteLine($"snapshot: {buffer.Length / 1048576.0:N1} MiB");
    await catalog.UpsertRuleSetAsync(new RuleSetEntry(ruleSetId, RuleSetStatus.Verified, tablesOfSet, "bench", null, sha, DateTimeOffset.UtcNow, null), default);
    await catalog.SetActiveAsync(ruleSetId, null, default);
}
var claim = new ClaimInput { Setting = "practitioner", DateOfService = "2026-08-03", Lines = [new ClaimLineInput { Code = codes[0] }, new ClaimLineInput { Code = codes[1] }] };
var coldTimes = new List<double>();
for (var run = 0; run < 5; run++)
{
    GC.Collect();
    var cold = Stopwatch.StartNew();
    var cache = new RuleSetCache(new StorageRuleSetSource(catalog, new RuleSetLoader(snapshots)), Options.Create(new RulesOptions()), TimeProvider.System,
        NullLogger<RuleSetCache>.Instance);
    var first = await cache.GetAsync(default) ?? throw new InvalidOperationException("nothing loaded");
    var (parsed, _) = ClaimParser.Parse(claim);
    first.Validator.Validate(parsed!);
    coldTimes.Add(cold.Elapsed.TotalMilliseconds);
}
coldTimes.Sort();
Console.WriteLine($"cold load from Azurite (pointer read + snapshot download + load + first answer): median {coldTimes[2]:N0} ms (min {coldTimes[0]:N0}, max {coldTimes[^1]:N0}) over 5 runs");
await tables.DeleteTableAsync("benchcatalog" + suffix);
await blobs.DeleteBlobContainerAsync("bench-snapshots-" + suffix);

sealed class FixedRules(LoadedRules loaded) : IActiveRules
{
    public LoadedRules? Current => loaded;
    public ValueTask<LoadedRules?> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult<LoadedRules?>(loaded);
}
