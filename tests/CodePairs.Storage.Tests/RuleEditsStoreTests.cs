using Azure.Data.Tables;
using CodePairs.Rules;
using CodePairs.Storage;

namespace CodePairs.Storage.Tests;

/// <summary>Writing table versions into a real Azurite and reading them back code by code.</summary>
public sealed class RuleEditsStoreTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private (TableRuleEditsStore Store, TableClient Table) NewStore()
    {
        AzuriteFixture.RequireAzurite();
        var name = azurite.NewTableName("edits");
        return (new TableRuleEditsStore(azurite.Tables, name), azurite.Tables.GetTableClient(name));
    }

    private static HcpcsCode C(string code) => HcpcsCode.Parse(code);

    private static Task<WriteResult> Write(TableRuleEditsStore store, TableVersion v, IProgress<int>? progress = null)
        => store.WriteAsync(StoredRows.Encode(v), v.Key, null, null, progress, 0, default);

    private static async Task WriteAll(TableRuleEditsStore store, RuleSet set)
    {
        foreach (var v in set.Versions) await Write(store, v);
    }

    [Fact]
    public async Task WriteThenReadGivesExactlyTheEnginesRowsForPtpAocAndMueCodes()
    {
        var (store, _) = NewStore();
        var set = StorageTestRules.Build();
        await WriteAll(store, set);
        TableVersion V(TableId t) => set.VersionsOf(t)[0];

        foreach (var table in new[] { TableId.PtpPractitioner, TableId.PtpHospital })
        {
            var stored = await store.ReadCodeAsync(table, V(table).Key, C("13121"), default);
            Assert.Equal(V(table).PtpEdits(C("13121")), stored!.Ptp);
            Assert.Empty(stored.AddOns);
            Assert.Null(stored.Mue);
        }
        var many = await store.ReadCodeAsync(TableId.PtpPractitioner, V(TableId.PtpPractitioner).Key, C("11042"), default);
        Assert.Equal(4, many!.Ptp.Count);

        foreach (var addOn in new[] { "11045", "0592T", "22552", "15847" })
            Assert.Equal(V(TableId.AddOn).AddOnEdits(C(addOn)), (await store.ReadCodeAsync(TableId.AddOn, V(TableId.AddOn).Key, C(addOn), default))!.AddOns);
        Assert.Equal("Contractor defines primary procedures", (await store.ReadCodeAsync(TableId.AddOn, V(TableId.AddOn).Key, C("0592T"), default))!.AddOns[0].Notes);

        var mue = await store.ReadCodeAsync(TableId.MuePractitioner, V(TableId.MuePractitioner).Key, C("11045"), default);
        Assert.Equal(new MueLimit(C("11045"), 12, MueAdjudication.DateOfServiceClinical, "Clinical: Data"), mue!.Mue);
        Assert.Equal(2, (await store.ReadCodeAsync(TableId.MueHospital, V(TableId.MueHospital).Key, C("13120"), default))!.Mue!.Value);
    }

    [Fact]
    public async Task CodesWithoutRowsReadAsNull()
    {
        var (store, _) = NewStore();
        var set = StorageTestRules.Build();
        await WriteAll(store, set);
        string K(TableId t) => set.VersionsOf(t)[0].Key;

        Assert.Null(await store.ReadCodeAsync(TableId.PtpPractitioner, K(TableId.PtpPractitioner), C("77003"), default)); // column 2 only
        Assert.Null(await store.ReadCodeAsync(TableId.AddOn, K(TableId.AddOn), C("11042"), default));                     // a primary, not an add-on
        Assert.Null(await store.ReadCodeAsync(TableId.MuePractitioner, K(TableId.MuePractitioner), C("11043"), default)); // no published MUE
        Assert.Null(await store.ReadCodeAsync(TableId.MueDme, "2026-07-01-00000000", C("11045"), default));              // version absent
    }

    [Fact]
    public async Task CountRowsEqualsEachVersionsRowCount()
    {
        var (store, _) = NewStore();
        var set = StorageTestRules.Build();
        await WriteAll(store, set);
        foreach (var v in set.Versions) Assert.Equal(v.Rows, await store.CountRowsAsync(v.Table, v.Key, default));
        Assert.Equal(0, await store.CountRowsAsync(TableId.MueDme, "2026-07-01-00000000", default));
    }

    [Fact]
    public async Task RewritingTheSameVersionIsIdempotent()
    {
        var (store, table) = NewStore();
        var v = StorageTestRules.Build().VersionsOf(TableId.PtpPractitioner)[0];
        var progress = new List<int>();

        var first = await Write(store, v, new SyncProgress(progress));
        var before = await Snapshot(table);
        var second = await Write(store, v);
        var after = await Snapshot(table);

        Assert.Equal(first, second);
        Assert.Equal(first.Entities, after.Count);
        Assert.Equal(before, after);
        Assert.Equal(first.Entities, progress.Max());
    }

    [Fact]
    public async Task TwoVersionsOfOneTableKeepTheirOwnRows()
    {
        var (store, _) = NewStore();
        var a = StorageTestRules.Build().VersionsOf(TableId.PtpPractitioner)[0];
        var b = new RuleSetBuilder().AddPtp(TableId.PtpPractitioner, "v323r0", new DateOnly(2026, 10, 1),
            [StorageTestRules.Ptp("13121\t13120\t*\t19960101\t20260930\t0\tCPT Manual or CMS manual coding instruction")]).Build().Versions[0];
        await Write(store, a);
        await Write(store, b);

        Assert.Equal(2, (await store.ReadCodeAsync(TableId.PtpPractitioner, a.Key, C("13121"), default))!.Ptp.Count);
        Assert.Equal(new DateOnly(2026, 9, 30), Assert.Single((await store.ReadCodeAsync(TableId.PtpPractitioner, b.Key, C("13121"), default))!.Ptp).Deletion);
        Assert.Equal(1, await store.CountRowsAsync(TableId.PtpPractitioner, b.Key, default));
    }

    [Fact]
    public async Task DeletingAVersionRemovesOnlyItsEntities()
    {
        var (store, table) = NewStore();
        var a = StorageTestRules.Build(StorageTestRules.UniqueRow()).VersionsOf(TableId.PtpPractitioner)[0];
        var set = StorageTestRules.Build();
        var writtenA = await Write(store, a);
        await WriteAll(store, set);
        var others = (await Snapshot(table)).Count - writtenA.Entities;

        Assert.Equal(writtenA.Entities, await store.DeleteAsync(TableId.PtpPractitioner, a.Key, default));

        Assert.Equal(others, (await Snapshot(table)).Count);
        Assert.Null(await store.ReadCodeAsync(TableId.PtpPractitioner, a.Key, C("13121"), default));
        Assert.NotNull(await store.ReadCodeAsync(TableId.PtpPractitioner, set.VersionsOf(TableId.PtpPractitioner)[0].Key, C("13121"), default));
        Assert.Equal(0, await store.DeleteAsync(TableId.PtpPractitioner, a.Key, default));
    }

    [Fact]
    public async Task AKeyThatWouldBreakThePartitionKeysIsRefusedBeforeAnyWrite()
    {
        var (store, table) = NewStore();
        var v = StorageTestRules.Build().Versions[0];
        await Assert.ThrowsAsync<ArgumentException>(() => store.WriteAsync(StoredRows.Encode(v), "v32_2", null, null, null, 0, default));
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
