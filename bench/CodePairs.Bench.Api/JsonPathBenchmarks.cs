using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using CodePairs.Functions.Http;
using CodePairs.Rules;
using CodePairs.Rules.Generation;

namespace CodePairs.Bench.Api;

/// <summary>
/// The JSON path's steps, the serializer path (before, the baseline of each pair) and the fast path (after) side by side
/// in one BenchmarkDotNet run, per 6-line claim of the full generated release with the cpt-77003 pack: reading a claim,
/// writing its answer, and the whole JSON in -> validated -> JSON out without the HTTP plumbing. Each operation runs
/// over the same 2,048 claims (OperationsPerInvoke), so the figures are per claim.
/// Run: dotnet run -c Release --project bench/CodePairs.Bench.Api -- --bdn
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class JsonPathBenchmarks
{
    private const int Claims = 2048;
    private static readonly Lazy<(ClaimValidator Validator, byte[][] Bodies)> Data = new(() =>
    {
        var rules = ReleaseGenerator.Build(GeneratorOptions.Full(seed: 7)).Build();
        var random = new Random(7);
        var codes = Enumerable.Range(0, rules.Codes.Count).Select(i => rules.Codes.TextOf(i)).ToArray();
        var bodies = Enumerable.Range(0, Claims).Select(_ => Encoding.UTF8.GetBytes(
            "{\"claimId\":\"C-1\",\"setting\":\"practitioner\",\"dateOfService\":\"2026-08-03\",\"lines\":[" +
            string.Join(',', Enumerable.Range(0, 6).Select(_ => $"{{\"code\":\"{codes[random.Next(codes.Length)]}\",\"units\":1}}")) + "]}")).ToArray();
        return (new ClaimValidator(rules, [RulePack.Fluoroscopy77003]), bodies);
    });

    private static readonly JsonSerializerOptions ResponseOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // what the host's JSON options use
        TypeInfoResolver = CodePairsJson.Default,
    };

    private ClaimValidator _validator = null!;
    private byte[][] _bodies = null!;
    private ValidationResult[] _results = null!;
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private Utf8JsonWriter _writer = null!;

    [GlobalSetup]
    public void Setup()
    {
        (_validator, _bodies) = Data.Value;
        _results = _bodies.Select(b => _validator.Validate(ClaimDecoder.Decode(b, ClaimLimits.MaxLines).Claim!)).ToArray();
        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Claims), BenchmarkCategory("read")]
    public int ReadWithSerializer()
    {
        var n = 0;
        foreach (var b in _bodies) n += ClaimParser.Parse(JsonSerializer.Deserialize<ClaimInput>(b, JsonBody.Options)!).Claim!.Lines.Count;
        return n;
    }

    [Benchmark(OperationsPerInvoke = Claims), BenchmarkCategory("read")]
    public int ReadFast()
    {
        var n = 0;
        foreach (var b in _bodies) n += ClaimJsonReader.TryRead(b, ClaimLimits.MaxLines, out var c) ? c!.Lines.Count : 0;
        return n;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Claims), BenchmarkCategory("write")]
    public long WriteWithSerializer()
    {
        long n = 0;
        foreach (var r in _results) n += JsonSerializer.SerializeToUtf8Bytes(new ClaimResponse("C-1", r.Clean, r.Lines, r.Findings, r.TablesUsed), ResponseOptions).Length;
        return n;
    }

    [Benchmark(OperationsPerInvoke = Claims), BenchmarkCategory("write")]
    public long WriteFast()
    {
        long n = 0;
        foreach (var r in _results)
        {
            _buffer.ResetWrittenCount();
            _writer.Reset(_buffer);
            ClaimJsonWriter.WriteResponse(_writer, "C-1", r);
            _writer.Flush();
            n += _buffer.WrittenCount;
        }
        return n;
    }

    /// <summary>JSON in -> validated (findings worded afresh) -> JSON out, the serializer path.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Claims), BenchmarkCategory("round trip")]
    public long RoundTripWithSerializer()
    {
        long n = 0;
        foreach (var b in _bodies)
        {
            var claim = ClaimParser.Parse(JsonSerializer.Deserialize<ClaimInput>(b, JsonBody.Options)!).Claim!;
            var r = _validator.Validate(claim);
            n += JsonSerializer.SerializeToUtf8Bytes(new ClaimResponse(claim.ClaimId, r.Clean, r.Lines, r.Findings, r.TablesUsed), ResponseOptions).Length;
        }
        return n;
    }

    /// <summary>JSON in -> validated (findings worded afresh) -> JSON out, the fast path.</summary>
    [Benchmark(OperationsPerInvoke = Claims), BenchmarkCategory("round trip")]
    public long RoundTripFast()
    {
        long n = 0;
        foreach (var b in _bodies)
        {
            var claim = ClaimDecoder.Decode(b, ClaimLimits.MaxLines).Claim!;
            var r = _validator.Validate(claim);
            _buffer.ResetWrittenCount();
            _writer.Reset(_buffer);
            ClaimJsonWriter.WriteResponse(_writer, claim.ClaimId, r);
            _writer.Flush();
            n += _buffer.WrittenCount;
        }
        return n;
    }
}
