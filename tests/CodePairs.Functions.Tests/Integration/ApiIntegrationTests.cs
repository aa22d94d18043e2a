using CodePairs.Functions.Http;
using CodePairs.Functions.Rules;
using CodePairs.Functions.Tests.Storage;
using CodePairs.Rules;
using CodePairs.Rules.Tests;
using CodePairs.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static CodePairs.Functions.Tests.Http.HttpTestKit;

namespace CodePairs.Functions.Tests.Integration;

/// <summary>
/// The partner API end to end on a real Azurite: a release published with the same publisher the CLI and the refresh
/// use, loaded through the same source and cache the worker uses, and every function called.
/// </summary>
public sealed class ApiIntegrationTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-08-03T12:00:00Z"));

    private sealed record Stack(ReleasePublisher Publisher, RuleSetCache Cache, TableRuleCatalog Catalog, BlobSnapshotStore Snapshots);

    private Stack NewStack()
    {
        AzuriteFixture.RequireAzurite();
        var catalog = new TableRuleCatalog(azurite.Tables, azurite.NewTableName("catalog"), _clock);
        var edits = new TableReleaseEditsStore(azurite.Tables, azurite.NewTableName("edits"));
        var snapshots = new BlobSnapshotStore(azurite.Blobs, azurite.NewContainerName("snapshots"));
        var cache = new RuleSetCache(new StorageRuleSetSource(catalog, snapshots), Options.Create(new RulesOptions { PollSeconds = 60 }), _clock,
            NullLogger<RuleSetCache>.Instance);
        return new Stack(new ReleasePublisher(catalog, edits, snapshots, _clock), cache, catalog, snapshots);
    }

    /// <summary>The fixture release, or a later one where 13121/13120 became indicator 1 (a visible difference).</summary>
    private static RuleSet Release(string id, DateOnly start, bool relaxed = false)
    {
        var b = TestRules.Builder(id, start);
        if (relaxed)
        {
            b = new ReleaseBuilder(id, start)
                .AddPtp(PtpTable.Practitioner, id, TestRules.PractitionerPtp.Where(r => !r.StartsWith("13121\t13120")).Append(
                    "13121\t13120\t*\t19960101\t*\t1\tCPT Manual or CMS manual coding instruction").Select(CmsRows.Ptp))
                .AddMue(MueTable.Practitioner, start.ToString("yyyy-MM-dd"), start, TestRules.PractitionerMue.Select(CmsRows.Mue));
        }
        return RuleSet.Build(b);
    }

    private const string Claim = """{"setting":"practitioner","dateOfService":"2026-08-03","lines":[{"code":"62323"},{"code":"77003"}]}""";

    [Fact]
    public async Task EveryFunctionAnswersFromAPublishedRelease()
    {
        var stack = NewStack();
        var health = new HealthFunction(stack.Cache);
        var before = Request("GET");
        var (_, healthBefore, _) = await Execute(health.Run(before), before);
        Assert.False(healthBefore.GetProperty("ruleSetLoaded").GetBoolean());

        var published = await stack.Publisher.PublishAsync(Release("v322r0", new DateOnly(2026, 7, 1)));
        Assert.Equal(["v322r0"], published.ActiveReleaseIds);
        Assert.True(published.Written.Entities > 0);

        var claims = new ClaimFunctions(stack.Cache, Api(), NullLogger<ClaimFunctions>.Instance);
        var request = Request("POST", Claim);
        var (status, body, _) = await Execute(await claims.Validate(request, default), request);
        Assert.Equal(200, status);
        Assert.Contains(body.GetProperty("findings").EnumerateArray(), f => f.GetProperty("rule").GetString() == "ptp.indicator-1");
        Assert.Contains(body.GetProperty("findings").EnumerateArray(), f => f.GetProperty("rule").GetString() == "pack.not-with");
        Assert.Equal("v322r0", body.GetProperty("releasesUsed")[0].GetProperty("release").GetString());

        var pairs = new PairFunctions(stack.Cache, Api(), _clock, NullLogger<PairFunctions>.Instance);
        var pairRequest = Request("GET", query: "?date=2026-08-03");
        var (pairStatus, pair, _) = await Execute(await pairs.Check(pairRequest, "13121", "13120", default), pairRequest);
        Assert.Equal(200, pairStatus);
        Assert.Equal(2, pair.GetProperty("edits").GetArrayLength());

        var codes = new CodeFunctions(stack.Cache, Api(), _clock, NullLogger<CodeFunctions>.Instance);
        var codeRequest = Request("GET", query: "?date=2026-08-03");
        var (codeStatus, profile, _) = await Execute(await codes.Profile(codeRequest, "11045", default), codeRequest);
        Assert.Equal(200, codeStatus);
        Assert.Equal(1, profile.GetProperty("addOn").GetProperty("type").GetInt32());
        Assert.Contains("11042-11043", profile.GetProperty("addOn").GetProperty("eligiblePrimaries").EnumerateArray().Select(e => e.GetString()));
        var unknownRequest = Request("GET", query: "?date=2026-08-03");
        var (unknownStatus, _, _) = await Execute(await codes.Profile(unknownRequest, "99499", default), unknownRequest);
        Assert.Equal(404, unknownStatus);

        var sets = new RuleSetFunctions(stack.Catalog, stack.Cache);
        var listRequest = Request("GET");
        var (listStatus, list, _) = await Execute(await sets.List(listRequest, default), listRequest);
        Assert.Equal(200, listStatus);
        var entry = Assert.Single(list.GetProperty("releases").EnumerateArray());
        Assert.Equal("active", entry.GetProperty("status").GetString());
        Assert.Equal(published.SnapshotSha256, entry.GetProperty("snapshotSha256").GetString());
        Assert.Contains(entry.GetProperty("tables").EnumerateArray(), t => t.GetProperty("table").GetString() == "ptp-practitioner"
            && t.GetProperty("rows").GetInt32() == TestRules.PractitionerPtp.Length);
        var activeRequest = Request("GET");
        var (activeStatus, active, _) = await Execute(await sets.Active(activeRequest, default), activeRequest);
        Assert.Equal(200, activeStatus);
        Assert.Equal("v322r0", active.GetProperty("releases")[0].GetString());
        Assert.Equal("v322r0", active.GetProperty("servedByThisWorker")[0].GetString());

        var after = Request("GET");
        var (_, healthAfter, _) = await Execute(health.Run(after), after);
        Assert.True(healthAfter.GetProperty("ruleSetLoaded").GetBoolean());
    }

    [Fact]
    public async Task APointerSwapIsSeenWithoutARestart()
    {
        var stack = NewStack();
        await stack.Publisher.PublishAsync(Release("v322r0", new DateOnly(2026, 7, 1)));
        var claims = new ClaimFunctions(stack.Cache, Api(), NullLogger<ClaimFunctions>.Instance);
        const string october = """{"setting":"practitioner","dateOfService":"2026-10-05","lines":[{"code":"13121"},{"code":"13120"}]}""";

        var r1 = Request("POST", october);
        var (_, first, _) = await Execute(await claims.Validate(r1, default), r1);
        Assert.Equal("ptp.indicator-0", first.GetProperty("findings")[0].GetProperty("rule").GetString());

        await stack.Publisher.PublishAsync(Release("v323r0", new DateOnly(2026, 10, 1), relaxed: true));
        _clock.Advance(TimeSpan.FromSeconds(61));
        Assert.True(await stack.Cache.RefreshAsync(force: false, default));

        var r2 = Request("POST", october);
        var (_, second, _) = await Execute(await claims.Validate(r2, default), r2);
        var ptp = second.GetProperty("findings").EnumerateArray().First(f => f.GetProperty("kind").GetString() == "ptp");
        Assert.Equal("ptp.indicator-1", ptp.GetProperty("rule").GetString());
        Assert.Equal("v323r0", ptp.GetProperty("source").GetProperty("release").GetString());
        // An August claim is still judged by v322r0: both releases are active.
        var r3 = Request("POST", Claim);
        var (_, august, _) = await Execute(await claims.Validate(r3, default), r3);
        Assert.Equal("v322r0", august.GetProperty("releasesUsed")[0].GetProperty("release").GetString());
        Assert.Equal(["v322r0", "v323r0"], stack.Cache.Current!.ReleaseIds);
    }

    [Fact]
    public async Task ACorruptSnapshotLeavesThePreviousSetServing()
    {
        var stack = NewStack();
        await stack.Publisher.PublishAsync(Release("v322r0", new DateOnly(2026, 7, 1)));
        Assert.NotNull(await stack.Cache.GetAsync(default));

        await stack.Publisher.PublishAsync(Release("v323r0", new DateOnly(2026, 10, 1)), activate: false);
        // Damage the verified snapshot in storage, then activate it.
        var bytes = new byte[4096];
        Random.Shared.NextBytes(bytes);
        await stack.Snapshots.UploadAsync("v323r0", new MemoryStream(bytes), default);
        await stack.Publisher.ActivateAsync("v323r0", replace: true, default);

        _clock.Advance(TimeSpan.FromSeconds(61));
        Assert.False(await stack.Cache.RefreshAsync(force: false, default));
        Assert.Equal(["v322r0"], stack.Cache.Current!.ReleaseIds);

        var claims = new ClaimFunctions(stack.Cache, Api(), NullLogger<ClaimFunctions>.Instance);
        var request = Request("POST", Claim);
        var (status, body, _) = await Execute(await claims.Validate(request, default), request);
        Assert.Equal(200, status);
        Assert.Equal("v322r0", body.GetProperty("releasesUsed")[0].GetProperty("release").GetString());
    }

    [Fact]
    public async Task PublishingTheSameReleaseTwiceChangesNothing()
    {
        var stack = NewStack();
        var first = await stack.Publisher.PublishAsync(Release("v322r0", new DateOnly(2026, 7, 1)));
        var second = await stack.Publisher.PublishAsync(Release("v322r0", new DateOnly(2026, 7, 1)));
        Assert.Equal(first.SnapshotSha256, second.SnapshotSha256);
        Assert.Equal(first.Written, second.Written);
        Assert.Equal(["v322r0"], second.ActiveReleaseIds);
        Assert.Single(await stack.Catalog.ListAsync(default));
    }
}
