using Azure.Data.Tables;
using CodePairs.Storage;
using CodePairs.Rules;

namespace CodePairs.Functions.Tests.Storage;

/// <summary>Writing a release into a real Azurite and reading it back code by code.</summary>
public sealed class ReleaseEditsStoreTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private (TableReleaseEditsStore Store, TableClient Table) NewStore()
    {
        AzuriteFixture.RequireAzurite();
        var name = azurite.NewTableName("edits");
        return (new TableReleaseEditsStore(azurite.Tables, name), azurite.Tables.GetTableClient(name));
    }

    private static HcpcsCode C(string code) => HcpcsCode.Parse(code);

    [Fact]
    public async Task WriteThenReadGivesExactlyTheEnginesRowsForPtpAocAndMueCodes()
    {
        var (store, _) = NewStore();
        var (set, release) = StorageTestRules.Build();

        var result = await store.WriteAsync(release, set.Codes, null, default);
        Assert.True(result.Entities > 0);

        foreach (var (table, ptp) in new[] { ("ptp-practitioner", PtpTable.Practitioner), ("ptp-hospital", PtpTable.Hospital) })
        {
            var stored = await store.ReadCodeAsync(release.Id, table, C("13121"), default);
            Assert.NotNull(stored);
            Assert.Equal(release.PtpEdits(ptp, set.Codes, C("13121")), stored.Ptp);
            Assert.Empty(stored.AddOns);
            Assert.Null(stored.Mue);
        }
        var many = await store.ReadCodeAsync(release.Id, "ptp-practitioner", C("11042"), default);
        Assert.Equal(4, many!.Ptp.Count);
        Assert.Equal(release.PtpEdits(PtpTable.Practitioner, set.Codes, C("11042")), many.Ptp);

        foreach (var addOn in new[] { "11045", "0592T", "22552", "15847" })
        {
            var stored = await store.ReadCodeAsync(release.Id, "aoc", C(addOn), default);
            Assert.Equal(release.AddOnEdits(set.Codes, C(addOn)), stored!.AddOns);
        }
        Assert.Equal("Contractor defines primary procedures", (await store.ReadCodeAsync(release.Id, "aoc", C("0592T"), default))!.AddOns[0].Notes);

        var mue = await store.ReadCodeAsync(release.Id, "mue-practitioner", C("11045"), default);
        Assert.Equal(release.MueLimitOf(MueTable.Practitioner, set.Codes, C("11045")), mue!.Mue);
        Assert.Equal(new MueLimit(C("11045"), 12, MueAdjudication.DateOfServiceClinical, "Clinical: Data"), mue.Mue);
        Assert.Equal(2, (await store.ReadCodeAsync(release.Id, "mue-hospital", C("13120"), default))!.Mue!.Value);
    }

    [Fact]
    public async Task CodesWithoutRowsReadAsNull()
    {
        var (store, _) = NewStore();
        var (set, release) = StorageTestRules.Build();
        await store.WriteAsync(release, set.Codes, null, default);

        Assert.Null(await store.ReadCodeAsync(release.Id, "ptp-practitioner", C("77003"), default)); // column 2 only
        Assert.Null(await store.ReadCodeAsync(release.Id, "aoc", C("11042"), default));             // a primary, not an add-on
        Assert.Null(await store.ReadCodeAsync(release.Id, "mue-practitioner", C("11043"), default)); // no published MUE
        Assert.Null(await store.ReadCodeAsync(release.Id, "mue-dme", C("11045"), default));          // table absent
        Assert.Null(await store.ReadCodeAsync("v000r0", "ptp-practitioner", C("13121"), default));   // release absent
    }

    [Fact]
    public async Task CountRowsEqualsTheReleasesRowCountsForEveryTable()
    {
        var (store, _) = NewStore();
        var (set, release) = StorageTestRules.Build();
        var result = await store.WriteAsync(release, set.Codes, null, default);

        foreach (var component in release.Components)
            Assert.Equal(component.Rows, await store.CountRowsAsync(release.Id, component.Table, default));
        Assert.Equal(release.Components.Sum(c => (long)c.Rows), result.Rows);
        Assert.Equal(0, await store.CountRowsAsync(release.Id, "mue-dme", default));
    }

    [Fact]
    public async Task RewritingTheSameReleaseIsIdempotent()
    {
        var (store, table) = NewStore();
        var (set, release) = StorageTestRules.Build();
        var progress = new List<int>();

        var first = await store.WriteAsync(release, set.Codes, new SyncProgress(progress), default);
        var before = await Snapshot(table);
        var second = await store.WriteAsync(release, set.Codes, null, default);
        var after = await Snapshot(table);

        Assert.Equal(first, second);
        Assert.Equal(before.Count, after.Count);
        Assert.Equal(first.Entities, after.Count);
        Assert.Equal(before, after);
        Assert.Equal(first.Entities, progress.Max());
    }

    [Fact]
    public async Task TwoReleasesInOneTableKeepTheirOwnRows()
    {
        var (store, _) = NewStore();
        var (setA, a) = StorageTestRules.Build();
        var builderB = new ReleaseBuilder(StorageTestRules.UniqueReleaseId(), new DateOnly(2026, 10, 1))
            .AddPtp(PtpTable.Practitioner, "v323r0", [StorageTestRules.Ptp("13121\t13120\t*\t19960101\t20260930\t0\tCPT Manual or CMS manual coding instruction")]);
        var setB = RuleSet.Build(builderB);
        await store.WriteAsync(a, setA.Codes, null, default);
        await store.WriteAsync(setB.Releases[0], setB.Codes, null, default);

        Assert.Equal(2, (await store.ReadCodeAsync(a.Id, "ptp-practitioner", C("13121"), default))!.Ptp.Count);
        var b = (await store.ReadCodeAsync(setB.Releases[0].Id, "ptp-practitioner", C("13121"), default))!.Ptp;
        Assert.Equal(new DateOnly(2026, 9, 30), Assert.Single(b).Deletion);
        Assert.Equal(1, await store.CountRowsAsync(setB.Releases[0].Id, "ptp-practitioner", default));
    }

    [Fact]
    public async Task DeletingAReleaseRemovesOnlyItsEntities()
    {
        var (store, table) = NewStore();
        var (setA, a) = StorageTestRules.Build();
        var (setB, b) = StorageTestRules.Build();
        var writtenA = await store.WriteAsync(a, setA.Codes, null, default);
        var writtenB = await store.WriteAsync(b, setB.Codes, null, default);

        Assert.Equal(writtenA.Entities, await store.DeleteReleaseAsync(a.Id, default));

        Assert.Equal(writtenB.Entities, (await Snapshot(table)).Count);
        Assert.Null(await store.ReadCodeAsync(a.Id, "ptp-practitioner", C("13121"), default));
        Assert.Equal(0, await store.CountRowsAsync(a.Id, "mue-practitioner", default));
        Assert.NotNull(await store.ReadCodeAsync(b.Id, "ptp-practitioner", C("13121"), default));
        Assert.Equal(0, await store.DeleteReleaseAsync(a.Id, default));
    }

    [Fact]
    public async Task AReleaseIdThatWouldBreakTheKeysIsRefusedBeforeAnyWrite()
    {
        var (store, table) = NewStore();
        var set = RuleSet.Build(StorageTestRules.Builder("v32_2"));
        await Assert.ThrowsAsync<ArgumentException>(() => store.WriteAsync(set.Releases[0], set.Codes, null, default));
        Assert.Empty(await Snapshot(table, createIfMissing: true));
    }

    private static async Task<Dictionary<string, string>> Snapshot(TableClient table, bool createIfMissing = false)
    {
        if (createIfMissing) await table.CreateIfNotExistsAsync();
        var all = new Dictionary<string, string>();
        await foreach (var e in table.QueryAsync<TableEntity>())
            all[$"{e.PartitionKey}|{e.RowKey}"] = string.Join(";", e.Where(p => p.Key is not ("Timestamp" or "odata.etag"))
                .OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => $"{p.Key}={(p.Value is byte[] b ? Convert.ToBase64String(b) : p.Value)}"));
        return all;
    }

    private sealed class SyncProgress(List<int> values) : IProgress<int>
    {
        public void Report(int value) { lock (values) values.Add(value); }
    }
}
