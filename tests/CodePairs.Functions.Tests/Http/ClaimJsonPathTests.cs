using System.Text;
using System.Text.Json;
using CodePairs.Functions.Http;
using CodePairs.Rules;
using CodePairs.Rules.Generation;
using Microsoft.Extensions.Logging.Abstractions;
using static CodePairs.Functions.Tests.Http.HttpTestKit;

namespace CodePairs.Functions.Tests.Http;

/// <summary>The Utf8JsonReader/Utf8JsonWriter path against the serializer path it replaced, on generated claims.</summary>
public class ClaimJsonPathTests
{
    private static readonly Lazy<CodePairs.Functions.RuleSets.LoadedRules> Generated = new(() =>
    {
        var rules = ReleaseGenerator.Build(GeneratorOptions.Small(seed: 5)).Build();
        return new CodePairs.Functions.RuleSets.LoadedRules(rules, new ClaimValidator(rules, [RulePack.Fluoroscopy77003]), "rs-generated", DateTimeOffset.UnixEpoch);
    });

    private static ClaimFunctions Function() => new(ActiveRules(Generated.Value).Object, Api(), NullLogger<ClaimFunctions>.Instance);

    [Fact]
    public async Task BothPathsAnswerEveryGeneratedClaimWithTheSameBytes()
    {
        var function = Function();
        var statuses = new Dictionary<int, int>();
        var fastAccepted = 0;
        foreach (var json in GeneratedClaims.Json(Generated.Value.Rules, count: 3_000, seed: 17))
        {
            var (newStatus, newType, newBody) = await Run(function.Validate, json);
            var (oldStatus, oldType, oldBody) = await Run(function.ValidateWithSerializer, json);
            Assert.True(oldStatus == newStatus, $"status {oldStatus} then {newStatus} for {json}");
            Assert.Equal(oldType, newType);
            Assert.True(oldBody == newBody, $"for {json}\nserializer: {oldBody}\nfast path:  {newBody}");
            statuses[newStatus] = statuses.GetValueOrDefault(newStatus) + 1;
            if (ClaimJsonReader.TryRead(Encoding.UTF8.GetBytes(json), ClaimLimits.MaxLines, out _)) fastAccepted++;
        }
        // The generator makes both kinds in quantity, and most valid claims take the fast path.
        Assert.True(statuses.GetValueOrDefault(200) > 1_000, $"200s: {statuses.GetValueOrDefault(200)}");
        Assert.True(statuses.GetValueOrDefault(400) > 500, $"400s: {statuses.GetValueOrDefault(400)}");
        Assert.True(fastAccepted > 900, $"fast path took {fastAccepted}");
    }

    [Fact]
    public void TheFastReaderAcceptsOnlyWhatTheReferencePathTurnsIntoTheSameClaim()
    {
        foreach (var json in GeneratedClaims.Json(Generated.Value.Rules, count: 5_000, seed: 23))
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            var reference = ClaimDecoder.Reference(bytes, ClaimLimits.MaxLines);
            if (!ClaimJsonReader.TryRead(bytes, ClaimLimits.MaxLines, out var fast)) continue;
            Assert.True(reference.Claim is not null, $"the fast path accepted what the reference refuses ({reference.Detail}): {json}");
            Assert.Equal(Describe(reference.Claim!), Describe(fast!));
        }
    }

    [Theory]
    [InlineData("""{"setting":"practitioner","dateOfService":"2026-08-03","lines":[{"code":"11042"}]}""", true)]
    [InlineData("""{"setting":"Practitioner","dateOfService":"2026-08-03","lines":[{"code":"11042"}]}""", false)] // reference: valid
    [InlineData("""{"Setting":"practitioner","dateOfService":"2026-08-03","lines":[{"code":"11042"}]}""", false)] // reference: valid
    [InlineData("""{"setting":"practitioner","dateOfService":"2026-08-03","lines":[{"code":"11042","units":"2"}]}""", false)] // reference: valid
    [InlineData("""{"setting":"practitioner","setting":"hospital","dateOfService":"2026-08-03","lines":[{"code":"11042"}]}""", false)]
    [InlineData("""{"setting":"practitioner","dateOfService":"2026-08-03","lines":[{"code":"11042"}]} x""", false)]
    [InlineData("""{"setting":"practitioner","dateOfService":"2026-08-03","lines":[{"code":"\u0031\u0031042","modifiers":[null,"","xu"]}]}""", true)]
    public void TheFastReaderSaysNoToAnythingUnusual(string json, bool fast)
        => Assert.Equal(fast, ClaimJsonReader.TryRead(Encoding.UTF8.GetBytes(json), ClaimLimits.MaxLines, out _));

    private static string Describe(Claim c)
        => $"{c.Setting}|{c.DateOfService:O}|{c.ClaimId}|" + string.Join(";", c.Lines.Select(l => $"{l.Code}/{string.Join(",", l.Modifiers)}/{l.Units}/{l.DateOfService:O}"));

    private static async Task<(int Status, string? ContentType, string Body)> Run(Func<Microsoft.AspNetCore.Http.HttpRequest, CancellationToken, Task<Microsoft.AspNetCore.Http.IResult>> route, string json)
    {
        var request = Request("POST", json);
        var result = await route(request, default);
        await result.ExecuteAsync(request.HttpContext);
        var response = request.HttpContext.Response;
        response.Body.Position = 0;
        return (response.StatusCode, response.ContentType, await new StreamReader(response.Body).ReadToEndAsync());
    }
}

/// <summary>Claims as partners might send them: mostly valid, with every kind of mistake mixed in.</summary>
internal static class GeneratedClaims
{
    private static readonly string[] Modifiers = ["26", "TC", "59", "LT", "RT", "XU", "25", "76", "GG", "xs"];
    private static readonly string[] Dates = ["2026-08-03", "2026-07-01", "2025-01-01", "2019-06-30", "2026-12-31"];

    public static IEnumerable<string> Json(RuleSet rules, int count, int seed)
    {
        var random = new Random(seed);
        var codes = Enumerable.Range(0, rules.Codes.Count).Select(i => rules.Codes.TextOf(i)).Concat(["77003", "62323", "99499", "0001U"]).ToArray();
        for (var k = 0; k < count; k++)
        {
            var mistake = random.Next(100) < 40 ? random.Next(24) : -1;
            yield return Claim(random, codes, mistake);
        }
    }

    private static string Claim(Random random, string[] codes, int mistake)
    {
        var sb = new StringBuilder("{");
        var fields = new List<string>();
        if (random.Next(3) > 0 || mistake == 0) fields.Add($"\"claimId\":{Str(mistake == 0 ? new string('x', 65) : $"C-{random.Next(100000)} \"é\"")}");
        if (mistake != 1) fields.Add($"\"setting\":{(mistake == 2 ? "\"clinic\"" : mistake == 3 ? "null" : random.Next(3) == 0 ? "\"hospital\"" : "\"practitioner\"")}");
        var claimDate = mistake != 4 && random.Next(8) > 0;
        if (claimDate) fields.Add($"\"dateOfService\":{(mistake == 5 ? "\"2026-13-01\"" : mistake == 6 ? "\"1999-01-01\"" : Str(Dates[random.Next(Dates.Length)]))}");
        var n = mistake == 7 ? 0 : mistake == 8 ? 101 : random.Next(1, 9);
        var lines = new List<string>();
        for (var i = 0; i < n; i++) lines.Add(Line(random, codes, claimDate, i == 0 ? mistake : -1));
        if (mistake == 9) lines.Add("null");
        if (mistake != 10) fields.Add($"\"lines\":[{string.Join(",", lines)}]");
        if (mistake == 11) fields.Add("\"extra\":1");
        if (mistake == 12) fields.Add("\"setting\":\"hospital\"");
        if (mistake == 13) fields[0] = fields[0].Replace("\"claimId\"", "\"ClaimID\"").Replace("\"setting\"", "\"SETTING\"");
        sb.Append(string.Join(",", random.Next(4) == 0 ? fields.AsEnumerable().Reverse() : fields));
        sb.Append('}');
        return mistake switch
        {
            14 => sb.ToString()[..^1],           // truncated
            15 => sb.ToString() + ",",           // trailing garbage
            16 => sb.ToString().Replace(":", ": ").Replace(",", ",\n  "), // whitespace: valid
            _ => sb.ToString(),
        };
    }

    private static string Line(Random random, string[] codes, bool claimDate, int mistake)
    {
        var parts = new List<string>();
        var code = codes[random.Next(codes.Length)];
        if (mistake != 17) parts.Add($"\"code\":{(mistake == 18 ? "\"7700X\"" : mistake == 19 ? "null" : random.Next(10) == 0 ? Str(code.ToLowerInvariant()) : Str(code))}");
        var mods = random.Next(4) == 0 ? Enumerable.Range(0, random.Next(1, 4)).Select(_ => Str(Modifiers[random.Next(Modifiers.Length)])).ToList() : null;
        if (mistake == 20) mods = ["\"26\"", "\"TC\"", "\"59\"", "\"LT\"", "\"RT\""];
        if (mistake == 21) mods = ["\"2\""];
        if (mods is not null) parts.Add($"\"modifiers\":[{string.Join(",", mods)}]");
        if (random.Next(3) == 0 || mistake is 22 or 23)
            parts.Add($"\"units\":{(mistake == 22 ? "0" : mistake == 23 ? "\"two\"" : random.Next(10) == 0 ? random.Next(2, 300).ToString() : random.Next(20) == 0 ? "\"3\"" : "1")}");
        if (!claimDate || random.Next(6) == 0) parts.Add($"\"dateOfService\":{Str(Dates[random.Next(Dates.Length)])}");
        return "{" + string.Join(",", parts) + "}";
    }

    private static string Str(string s) => JsonSerializer.Serialize(s);
}
