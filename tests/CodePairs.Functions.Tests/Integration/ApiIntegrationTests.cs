using CodePairs.Functions.Http;
using CodePairs.Functions.Tests.Storage;
using CodePairs.Rules;
using CodePairs.Rules.Tests;
using CodePairs.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static CodePairs.Functions.Tests.Http.HttpTestKit;

namespace CodePairs.Functions.Tests.Integration;

/// <summary>
/// The partner API end to end on a real Azurite: table versions published with the same protocol the CLI and the
/// refresh use, loaded through the same source and cache the worker uses, and every function called.
/// </summary>
public sealed class ApiIntegrationTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-08-03T12:00:00Z"));

    private StorageStack NewStack() => new(azurite, _clock);

    /// <summary>Q4 practitioner PTP where 13121/13120 became indicator 1 (a visible difference), and nothing else.</summary>
    private static RuleSet RelaxedPtpQ4() => new RuleSetBuilder()
        .AddPtp(TableId.PtpPractitioner, "v323r0", new DateOnly(2026, 10, 1), TestRules.PractitionerPtp.Where(r => !r.StartsWith("13121\t13120")).Append(
            "13121\t13120\t*\t19960101\t*\t1\tCPT Manual or CMS manual coding instruction").Select(CmsRows.Ptp))
        .Build();

    private const string Claim = """{"setting":"practitioner","dateOfService":"2026-08-03","lines":[{"code":"62323"},{"code":"77003"}]}""";

    [Fact]
    public async Task EveryFunctionAnswersFromAPublishedRuleSet()
    {
        var stack = NewStack();
        var health = new HealthFunction(stack.Cache);
        var before = Request("GET");
        var (_, healthBefore, _) = await Execute(health.Run(before), before);
        Assert.False(healthBefore.GetProperty("ruleSetLoaded").GetBoolean());

        var published = await stack.Publisher.PublishAsync(TestRules.Set.Value, "test");
        Assert.True(published.Activated);
        Assert.True(published.EntityWrites > 0);

        var claims = new ClaimFunctions(stack.Cache, Api(), NullLogger<ClaimFunctions>.Instance);
        var request = Request("POST", Claim);
        var (status, body, _) = await Execute(await claims.Validate(request, default), request);
        Assert.Equal(200, status);
        Assert.Contains(body.GetProperty("findings").EnumerateArray(), f => f.GetProperty("rule").GetString() == "ptp.indicator-1");
        Assert.Contains(body.GetProperty("findings").EnumerateArray(), f => f.GetProperty("rule").GetString() == "pack.not-with");
        var used = body.GetProperty("tablesUsed")[0];
        Assert.Equal(("ptp-practitioner", "v322r0", "2026-07-01"), (used.GetProperty("table").GetString(), used.GetProperty("version").GetString(), used.GetProperty("effectiveFrom").GetString()));

        var pairs = new PairFunctions(stack.Cache, Api(), _clock, NullLogger<PairFunctions>.Instance);
        var pairRequest = Request("GET", query: "?date=2026-08-03");
        var (pairStatus, pair, _) = await Execute(await pairs.Check(pairRequest, "13121", "13120", default), pairRequest);
        Assert.Equal(200, pairStatus);
        Assert.Equal(2, pair.GetProperty("edits").GetArrayLength());
        Assert.Equal("v322r0", pair.GetProperty("ptpTable").GetProperty("version").GetString());

        var codes = new CodeFunctions(stack.Cache, Api(), _clock, NullLogger<CodeFunctions>.Instance);
        var codeRequest = Request("GET", query: "?date=2026-08-03");
        var (codeStatus, profile, _) = await Execute(await codes.Profile(codeRequest, "11045", default), codeRequest);
        Assert.Equal(200, codeStatus);
        Assert.Equal(1, profile.GetProperty("addOn").GetProperty("type").GetInt32());
        Assert.Contains("11042-11043", profile.GetProperty("addOn").GetProperty("eligiblePrimaries").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(3, profile.GetProperty("tables").GetArrayLength() + profile.GetProperty("notInForce").GetArrayLength());
        var unknownRequest = Request("GET", query: "?date=2026-08-03");
        var (unknownStatus, _, _) = await Execute(await codes.Profile(unknownRequest, "99499", default), unknownRequest);
        Assert.Equal(404, unknownStatus);

        var sets = new RuleSetFunctions(stack.Catalog, stack.Cache, _clock);
        var listRequest = Request("GET");
        var (listStatus, list, _) = await Execute(await sets.List(listRequest, default), listRequest);
        Assert.Equal(200, listStatus);
        Assert.Equal(published.RuleSetId, list.GetProperty("active").GetString());
        var ruleSet = Assert.Single(list.GetProperty("ruleSets").EnumerateArray());
        Assert.Equal("active", ruleSet.GetProperty("status").GetString());
        var ptpTable = list.GetProperty("tables").EnumerateArray().Single(t => t.GetProperty("table").GetString() == "ptp-practitioner");
        Assert.Equal("v322r0", ptpTable.GetProperty("inForce").GetProperty("version").GetString());
        var version = Assert.Single(ptpTable.GetProperty("versions").EnumerateArray());
        Assert.Equal((TestRules.PractitionerPtp.Length, "verified", true), (version.GetProperty("rows").GetInt32(), version.GetProperty("status").GetString(), version.GetProperty("inActiveRuleSet").GetBoolean()));
        Assert.Equal(0, list.GetProperty("tables").EnumerateArray().Single(t => t.GetProperty("table").GetString() == "mue-dme").GetProperty("versions").GetArrayLength());

        var activeRequest = Request("GET");
        var (activeStatus, active, _) = await Execute(await sets.Active(activeRequest, default), activeRequest);
        Assert.Equal(200, activeStatus);
        Assert.Equal(published.RuleSetId, active.GetProperty("ruleSet").GetString());
        Assert.Equal(published.RuleSetId, active.GetProperty("servedByThisWorker").GetString());
        Assert.Equal(4, active.GetProperty("inForceToday").GetArrayLength());

        var after = Request("GET");
        var (_, healthAfter, _) = await Execute(health.Run(after), after);
        Assert.True(healthAfter.GetProperty("ruleSetLoaded").GetBoolean());
        Assert.Equal(published.RuleSetId, healthAfter.GetProperty("ruleSet").GetString());
    }

    [Fact]
    public async Task APtpOnlyPublishIsLaidOverTheActiveRuleSetAndSeenWithoutARestart()
    {
        var stack = NewStack();
        var first = await stack.Publisher.PublishAsync(TestRules.Set.Value, "test");
        var claims = new ClaimFunctions(stack.Cache, Api(), NullLogger<ClaimFunctions>.Instance);
        const string october = """{"setting":"practitioner","dateOfService":"2026-10-05","lines":[{"code":"13121"},{"code":"13120"}]}""";

        var r1 = Request("POST", october);
        var (_, before, _) = await Execute(await claims.Validate(r1, default), r1);
        Assert.Equal("ptp.indicator-0", before.GetProperty("findings")[0].GetProperty("rule").GetString());

        var second = await stack.Publisher.PublishAsync(RelaxedPtpQ4(), "test");
        Assert.Equal(first.RuleSetId, second.Previous);
        _clock.Advance(TimeSpan.FromSeconds(61));
        Assert.True(await stack.Cache.RefreshAsync(force: false, default));

        var r2 = Request("POST", october);
        var (_, after, _) = await Execute(await claims.Validate(r2, default), r2);
        var ptp = after.GetProperty("findings").EnumerateArray().First(f => f.GetProperty("kind").GetString() == "ptp");
        Assert.Equal("ptp.indicator-1", ptp.GetProperty("rule").GetString());
        Assert.Equal("v323r0", ptp.GetProperty("source").GetProperty("version").GetString());
        // The other tables carried over: the add-on and MUE edits still answer, and an August claim keeps v322r0.
        var r3 = Request("POST", Claim);
        var (_, august, _) = await Execute(await claims.Validate(r3, default), r3);
        Assert.Equal("v322r0", august.GetProperty("tablesUsed")[0].GetProperty("version").GetString());
        Assert.Equal(["aoc", "mue-practitioner"], august.GetProperty("tablesUsed").EnumerateArray().Skip(1).Select(t => t.GetProperty("table").GetString()));
        Assert.Equal(second.RuleSetId, stack.Cache.Current!.RuleSetId);
        Assert.Equal(RuleSetStatus.Retired, (await stack.Catalog.GetRuleSetAsync(first.RuleSetId, default))!.Status);
    }

    [Fact]
    public async Task ACorruptSnapshotLeavesThePreviousSetServing()
    {
        var stack = NewStack();
        var first = await stack.Publisher.PublishAsync(TestRules.Set.Value, "test");
        Assert.NotNull(await stack.Cache.GetAsync(default));

        var second = await stack.Publisher.PublishAsync(RelaxedPtpQ4(), "test", new PublishOptions { Activate = false });
        Assert.False(second.Activated);
        // Damage the verified rule set's snapshot in storage, then activate it.
        var bytes = new byte[4096];
        Random.Shared.NextBytes(bytes);
        await stack.Snapshots.UploadAsync(BlobSnapshotStore.RuleSetBlob(second.RuleSetId), new MemoryStream(bytes), default);
        await stack.Publisher.ActivateAsync(second.RuleSetId);

        _clock.Advance(TimeSpan.FromSeconds(61));
        Assert.False(await stack.Cache.RefreshAsync(force: false, default));
        Assert.Equal(first.RuleSetId, stack.Cache.Current!.RuleSetId);

        var claims = new ClaimFunctions(stack.Cache, Api(), NullLogger<ClaimFunctions>.Instance);
        var request = Request("POST", Claim);
        var (status, body, _) = await Execute(await claims.Validate(request, default), request);
        Assert.Equal(200, status);
        Assert.Equal("v322r0", body.GetProperty("tablesUsed")[0].GetProperty("version").GetString());
    }

    [Fact]
    public async Task PublishingTheSameTablesTwiceChangesNothing()
    {
        var stack = NewStack();
        var first = await stack.Publisher.PublishAsync(TestRules.Set.Value, "test");
        var pointer = await stack.Catalog.GetActiveAsync(default);
        var second = await stack.Publisher.PublishAsync(TestRules.Builder().Build(), "test");
        Assert.Equal(first.RuleSetId, second.RuleSetId);
        Assert.True(second.Unchanged);
        Assert.Equal(0, second.EntityWrites);
        Assert.All(second.Versions, v => Assert.False(v.Written));
        Assert.Equal(pointer!.ETag, (await stack.Catalog.GetActiveAsync(default))!.ETag);
        Assert.Single(await stack.Catalog.ListRuleSetsAsync(default));
    }
}
