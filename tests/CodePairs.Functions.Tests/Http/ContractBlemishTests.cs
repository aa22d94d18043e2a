using System.Text;
using System.Text.Json;
using CodePairs.Functions.Http;
using CodePairs.Rules;
using Microsoft.Extensions.Logging.Abstractions;
using static CodePairs.Functions.Tests.Http.HttpTestKit;

namespace CodePairs.Functions.Tests.Http;

/// <summary>Issue 13, item 7: the contract blemishes seen through the real host, each pinned.</summary>
public class ContractBlemishTests
{
    private const string Valid = """{"setting":"practitioner","dateOfService":"2026-08-03","lines":[{"code":"62323"},{"code":"77003"}]}""";
    private const string Bom = "\uFEFF";

    private static ClaimFunctions Claims() => new(ActiveRules(Loaded()).Object, Api(), NullLogger<ClaimFunctions>.Instance);
    private static PairFunctions Pairs() => new(ActiveRules(Loaded()).Object, Api(), TimeProvider.System, NullLogger<PairFunctions>.Instance);

    private static void PlainWords(string detail)
    {
        Assert.DoesNotContain("System.", detail);
        Assert.DoesNotContain("`1", detail);
        Assert.DoesNotContain(".NET", detail);
        Assert.DoesNotContain("CodePairs.", detail);
        Assert.DoesNotContain("(Parameter", detail);
    }

    [Theory]
    [InlineData("""{"setting":"practitioner","dateOfService":"2026-08-03","lines":[{"code":"77003","units":"x"}]}""", "$.lines[0].units must be a whole number")]
    [InlineData("""{"setting":"practitioner","dateOfService":"2026-08-03","lines":[{"code":"11042"},{"code":"77003","units":1.5}]}""", "$.lines[1].units must be a whole number")]
    [InlineData("""{"setting":"practitioner","dateOfService":"2026-08-03","lines":[{"code":77003}]}""", "$.lines[0].code must be a string")]
    [InlineData("""{"setting":"practitioner","dateOfService":"2026-08-03","lines":[{"code":"77003","modifiers":"26"}]}""", "$.lines[0].modifiers must be an array of strings")]
    [InlineData("""{"setting":"practitioner","dateOfService":"2026-08-03","lines":{"code":"77003"}}""", "$.lines must be an array of objects")]
    [InlineData("""{"setting":"practitioner","dateOfService":"2026-08-03","lines":[],"extra":1}""", "$.extra is not a field of this request")]
    public async Task AFieldThatDoesNotFitIsNamedByItsJsonPathInPlainWords(string json, string expected)
    {
        foreach (var route in new Func<Microsoft.AspNetCore.Http.HttpRequest, CancellationToken, Task<Microsoft.AspNetCore.Http.IResult>>[] { Claims().Validate, Claims().ValidateWithSerializer })
        {
            var request = Request("POST", json);
            var (status, body, _) = await Execute(await route(request, default), request);
            Assert.Equal(400, status);
            Assert.Equal("Malformed JSON", body.GetProperty("title").GetString());
            var detail = body.GetProperty("detail").GetString()!;
            Assert.Contains(expected, detail);
            PlainWords(detail);
        }
    }

    /// <summary>A batch answer's items: the array, or one JSON object a line (NDJSON).</summary>
    private static async Task<(int Status, JsonElement[] Items)> Batch(string body, string contentType = "application/json")
    {
        var request = Request("POST", body, contentType);
        await (await Claims().Validate(request, default)).ExecuteAsync(request.HttpContext);
        var response = request.HttpContext.Response;
        response.Body.Position = 0;
        var text = await new StreamReader(response.Body).ReadToEndAsync();
        var items = text.StartsWith('[')
            ? JsonDocument.Parse(text).RootElement.EnumerateArray().Select(e => e.Clone()).ToArray()
            : text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToArray();
        return (response.StatusCode, items);
    }

    [Fact]
    public async Task AFieldThatDoesNotFitInABatchIsNamedOnItsOwnItem()
    {
        var (status, items) = await Batch("[" + Valid + """,{"setting":"practitioner","dateOfService":"2026-08-03","lines":[{"code":"77003","units":"x"}]}]""");
        Assert.Equal(200, status);
        var detail = items[1].GetProperty("problem").GetProperty("detail").GetString()!;
        Assert.Contains("$.lines[0].units must be a whole number", detail);
        PlainWords(detail);
    }

    [Fact]
    public async Task APairQueryBodyThatDoesNotFitIsNamedInPlainWords()
    {
        var request = Request("POST", """{"dateOfService":"2026-08-03","modifiers1":"XU"}""");
        var (status, body, _) = await Execute(await Pairs().Check(request, "62323", "77003", default), request);
        Assert.Equal(400, status);
        var detail = body.GetProperty("detail").GetString()!;
        Assert.Contains("$.modifiers1 must be an array of strings", detail);
        PlainWords(detail);
    }

    [Fact]
    public async Task MalformedJsonStillSaysWhereItBreaks()
    {
        var request = Request("POST", """{"setting":"practitioner","lines":[{"code":}]}""");
        var (status, body, _) = await Execute(await Claims().Validate(request, default), request);
        Assert.Equal(400, status);
        var detail = body.GetProperty("detail").GetString()!;
        Assert.Contains("BytePositionInLine", detail);
        PlainWords(detail);
    }

    [Fact]
    public async Task AJsonBodyWithAByteOrderMarkIsJudgedLikeOneWithout()
    {
        var plain = Request("POST", Valid);
        var (_, expected, _) = await Execute(await Claims().Validate(plain, default), plain);
        foreach (var route in new Func<Microsoft.AspNetCore.Http.HttpRequest, CancellationToken, Task<Microsoft.AspNetCore.Http.IResult>>[] { Claims().Validate, Claims().ValidateWithSerializer })
        {
            var request = Request("POST", Bom + Valid);
            var (status, body, _) = await Execute(await route(request, default), request);
            Assert.Equal(200, status);
            Assert.Equal(expected.GetRawText(), body.GetRawText());
        }
    }

    [Fact]
    public async Task BothClaimPathsReadAClaimAfterAByteOrderMarkAlike()
    {
        var bytes = Encoding.UTF8.GetBytes(Bom + Valid);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        Assert.True(ClaimJsonReader.TryRead(bytes, ClaimLimits.MaxLines, out var fast));
        var reference = ClaimDecoder.Reference(bytes, ClaimLimits.MaxLines);
        Assert.NotNull(reference.Claim);
        Assert.Equal(reference.Claim!.Lines.Select(l => l.Code), fast!.Lines.Select(l => l.Code));
        Assert.Equal(reference.Claim.DateOfService, fast.DateOfService);
    }

    [Theory]
    [InlineData("application/json", "[" + Valid + "," + Valid + "]")]
    [InlineData("application/x-ndjson", Valid + "\n" + Valid + "\n")]
    public async Task ABatchBodyWithAByteOrderMarkIsABatch(string contentType, string body)
    {
        var (status, results) = await Batch(Bom + body, contentType);
        Assert.Equal(200, status);
        Assert.Equal(2, results.Length);
        Assert.All(results, r => Assert.False(r.TryGetProperty("problem", out _)));
    }

    [Fact]
    public async Task APairQueryBodyWithAByteOrderMarkIsRead()
    {
        var request = Request("POST", Bom + """{"dateOfService":"2026-08-03","setting":"hospital"}""");
        var (status, body, _) = await Execute(await Pairs().Check(request, "13121", "13120", default), request);
        Assert.Equal(200, status);
        Assert.Equal("hospital", body.GetProperty("setting").GetString());
    }

    [Fact]
    public void TheReaderWordsOfAnUnknownFieldNeverNameTheType()
    {
        var e = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<ClaimInput>("""{"lines":[{"code":"1","colour":1}]}""", JsonBody.Options));
        Assert.Equal("$.lines[0].colour is not a field of this request (see openapi.yaml).", JsonProblem.Describe(e, typeof(ClaimInput), JsonBody.Options));
    }
}
