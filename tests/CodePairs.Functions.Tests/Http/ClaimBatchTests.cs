using System.Text;
using System.Text.Json;
using CodePairs.Functions.Http;
using Microsoft.Extensions.Logging.Abstractions;
using static CodePairs.Functions.Tests.Http.HttpTestKit;

namespace CodePairs.Functions.Tests.Http;

public class ClaimBatchTests
{
    private const string Edit = """{"claimId":"B-1","setting":"practitioner","dateOfService":"2026-08-03","lines":[{"code":"62323"},{"code":"77003"}]}""";
    private const string Clean = """{"claimId":"B-2","setting":"practitioner","dateOfService":"2026-08-03","lines":[{"code":"11042"},{"code":"11045"}]}""";
    private const string BadCode = """{"claimId":"B-3","setting":"practitioner","dateOfService":"2026-08-03","lines":[{"code":"62323"},{"code":"7700X"}]}""";

    private static ClaimFunctions Function(bool loaded = true, Action<ApiOptions>? options = null, List<string>? logs = null)
        => new(ActiveRules(loaded ? Loaded() : null).Object, Api(options),
            logs is null ? NullLogger<ClaimFunctions>.Instance : Logger<ClaimFunctions>(logs));

    private static async Task<(int Status, string? ContentType, string Body)> Post(ClaimFunctions function, string body, string contentType = "application/json")
    {
        var request = Request("POST", body, contentType);
        var result = await function.Validate(request, default);
        await result.ExecuteAsync(request.HttpContext);
        var response = request.HttpContext.Response;
        response.Body.Position = 0;
        return (response.StatusCode, response.ContentType, await new StreamReader(response.Body).ReadToEndAsync());
    }

    private static async Task<string> Single(string claim)
    {
        var (_, _, body) = await Post(Function(), claim);
        return body;
    }

    [Fact]
    public async Task AnArrayIsAnsweredInOrderEachClaimWithItsOwnResultOrProblem()
    {
        var (status, type, text) = await Post(Function(), $"[{Edit},{BadCode},\n {Clean}]");
        Assert.Equal(200, status);
        Assert.Equal("application/json; charset=utf-8", type);
        var items = JsonDocument.Parse(text).RootElement.EnumerateArray().ToArray();
        Assert.Equal([0, 1, 2], items.Select(i => i.GetProperty("index").GetInt32()));
        Assert.Equal(["B-1", "B-3", "B-2"], items.Select(i => i.GetProperty("claimId").GetString()));
        Assert.False(items[0].GetProperty("clean").GetBoolean());
        Assert.True(items[2].GetProperty("clean").GetBoolean());
        var problem = items[1].GetProperty("problem");
        Assert.Equal(("Invalid claim", 400), (problem.GetProperty("title").GetString(), problem.GetProperty("status").GetInt32()));
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal((2, "code"), (error.GetProperty("line").GetInt32(), error.GetProperty("field").GetString()));
        Assert.False(items[1].TryGetProperty("findings", out _));
    }

    [Fact]
    public async Task EachAnswerInABatchIsTheSingleClaimAnswerWithItsIndex()
    {
        var (_, _, text) = await Post(Function(), $"[{Edit},{Clean}]");
        var single = $"[{{\"index\":0,{(await Single(Edit))[1..]},{{\"index\":1,{(await Single(Clean))[1..]}]";
        Assert.Equal(single, text);
    }

    [Fact]
    public async Task NdjsonGetsOneAnswerALineWithTheLineNumberAndBlankLinesSkipped()
    {
        var body = $"{Edit}\r\n\n{{\"setting\":\n   {Clean}\n";
        var (status, type, text) = await Post(Function(), body, "application/x-ndjson");
        Assert.Equal(200, status);
        Assert.Equal("application/x-ndjson; charset=utf-8", type);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(3, lines.Length);
        Assert.Equal([(0, 1), (1, 3), (2, 4)], lines.Select(l => (l.GetProperty("index").GetInt32(), l.GetProperty("line").GetInt32())));
        Assert.Equal("Malformed JSON", lines[1].GetProperty("problem").GetProperty("title").GetString());
        Assert.Equal("B-2", lines[2].GetProperty("claimId").GetString());
    }

    [Fact]
    public async Task ABadElementDoesNotFailTheOthers()
    {
        var (status, _, text) = await Post(Function(), $"[null, 7, {{\"setting\":\"practitioner\",\"lines\":[],\"extra\":1}}, {Clean}]");
        Assert.Equal(200, status);
        var items = JsonDocument.Parse(text).RootElement.EnumerateArray().ToArray();
        Assert.Equal(["Empty body", "Malformed JSON", "Malformed JSON"], items[..3].Select(i => i.GetProperty("problem").GetProperty("title").GetString()));
        Assert.True(items[3].GetProperty("clean").GetBoolean());
    }

    [Fact]
    public async Task MoreClaimsThanTheLimitIsA413ProblemBeforeAnyAnswer()
    {
        var (status, type, text) = await Post(Function(options: o => o.MaxBatchClaims = 3), $"[{Clean},{Clean},{Clean},{Clean}]");
        Assert.Equal(413, status);
        Assert.Equal("application/problem+json", type);
        Assert.Contains("at most 3 claims", JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ABodyOverTheBatchLimitIsA413()
    {
        var many = "[" + string.Join(",", Enumerable.Repeat(Clean, 200)) + "]";
        var (status, _, text) = await Post(Function(options: o => o.MaxBatchBytes = 10_000), many);
        Assert.Equal(413, status);
        Assert.Contains("10000 bytes", JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AClaimInABatchOverTheClaimLimitIsItsOwn413()
    {
        var big = """{"claimId":"X","setting":"practitioner","dateOfService":"2026-08-03","lines":[""" + string.Join(",", Enumerable.Repeat("""{"code":"11042"}""", 300)) + "]}";
        var (status, _, text) = await Post(Function(options: o => o.MaxClaimBytes = 1_000), $"[{big},{Clean}]");
        Assert.Equal(200, status);
        var items = JsonDocument.Parse(text).RootElement.EnumerateArray().ToArray();
        Assert.Equal(413, items[0].GetProperty("problem").GetProperty("status").GetInt32());
        Assert.True(items[1].GetProperty("clean").GetBoolean());
    }

    [Theory]
    [InlineData("[")]
    [InlineData("[{\"setting\":\"practitioner\"} {\"a\":1}]")]
    [InlineData("[1,2] x")]
    [InlineData("[]")]
    public async Task AnArrayThatCannotBeSplitIntoClaimsIsA400(string body)
    {
        var (status, type, _) = await Post(Function(), body);
        Assert.Equal(400, status);
        Assert.Equal("application/problem+json", type);
    }

    [Fact]
    public async Task ABatchWithoutARuleSetIs503WithRetryAfter()
    {
        var request = Request("POST", $"[{Clean}]");
        var (status, _, headers) = await Execute(await Function(loaded: false).Validate(request, default), request);
        Assert.Equal(503, status);
        Assert.Equal("30", headers.RetryAfter.ToString());
    }

    [Fact]
    public async Task AThousandClaimBatchIsAnsweredWhole()
    {
        var claims = Enumerable.Range(0, 1000).Select(i => i % 3 == 0 ? Edit : i % 3 == 1 ? Clean : BadCode);
        var (status, _, text) = await Post(Function(), "[" + string.Join(",", claims) + "]");
        Assert.Equal(200, status);
        var items = JsonDocument.Parse(text).RootElement.EnumerateArray().ToArray();
        Assert.Equal(1000, items.Length);
        Assert.Equal(Enumerable.Range(0, 1000), items.Select(i => i.GetProperty("index").GetInt32()));
        Assert.Equal(333, items.Count(i => i.TryGetProperty("problem", out _)));
    }

    [Fact]
    public async Task LogsOneLineABatchWithNoClaimIdsDatesOrCodes()
    {
        var logs = new List<string>();
        await Post(Function(logs: logs), $"[{Edit},{BadCode},{Clean}]");
        var line = Assert.Single(logs);
        Assert.Contains("3 claims, 1 invalid, 1 clean", line);
        foreach (var secret in new[] { "B-1", "B-2", "B-3", "2026-08-03", "62323", "77003", "7700X" }) Assert.DoesNotContain(secret, line);
    }

    [Fact]
    public async Task AStreamWithoutContentLengthIsReadToItsEnd()
    {
        var bytes = Encoding.UTF8.GetBytes($"[{Edit},{Clean}]");
        var request = Request("POST", "x");
        request.ContentLength = null;
        request.Body = new TrickleStream(bytes);
        var result = await Function().Validate(request, default);
        var (status, body, _) = await Execute(result, request);
        Assert.Equal(200, status);
        Assert.Equal(2, body.GetArrayLength());
    }

    /// <summary>A body that arrives a few bytes at a time, without a Content-Length.</summary>
    private sealed class TrickleStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => base.ReadAsync(buffer[..Math.Min(buffer.Length, 7)], cancellationToken);
    }
}
