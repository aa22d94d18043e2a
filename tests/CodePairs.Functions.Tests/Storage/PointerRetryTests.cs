using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;
using CodePairs.Storage;
using Moq;

namespace CodePairs.Functions.Tests.Storage;

/// <summary>The pointer's conflict handling in isolation: the table client is mocked to answer exactly what a retried
/// request sees (the Azurite tests in <see cref="RuleCatalogTests"/> cover the real service).</summary>
public sealed class PointerRetryTests
{
    private static readonly ETag Sent = new("W/\"datetime'2026-07-01T00%3A00%3A00.0000000Z'\"");
    private static readonly ETag Stored = new("W/\"datetime'2026-07-01T00%3A00%3A01.0000000Z'\"");

    private static (TableRuleCatalog Catalog, Mock<TableClient> Table) Catalog(string[] storedIds)
    {
        var table = new Mock<TableClient>();
        table.Setup(t => t.CreateIfNotExistsAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(Response.FromValue(new TableItem("catalog"), Mock.Of<Response>()));
        table.Setup(t => t.UpdateEntityAsync(It.IsAny<TableEntity>(), It.IsAny<ETag>(), TableUpdateMode.Replace, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(412, "UpdateConditionNotSatisfied"));
        var current = new TableEntity(TableRuleCatalog.PointerPartition, TableRuleCatalog.PointerRowKey)
        {
            ["ReleaseIds"] = System.Text.Json.JsonSerializer.Serialize(storedIds),
            ["UpdatedAt"] = new DateTimeOffset(2026, 7, 1, 0, 0, 1, TimeSpan.Zero),
            ETag = Stored,
        };
        table.Setup(t => t.GetEntityIfExistsAsync<TableEntity>(TableRuleCatalog.PointerPartition, TableRuleCatalog.PointerRowKey,
                It.IsAny<IEnumerable<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Response.FromValue(current, Mock.Of<Response>()));
        var service = new Mock<TableServiceClient>();
        service.Setup(s => s.GetTableClient(It.IsAny<string>())).Returns(table.Object);
        return (new TableRuleCatalog(service.Object, "catalog"), table);
    }

    [Fact]
    public async Task A412WhoseReReadShowsOurIdsReturnsThePointerAsStored()
    {
        var (catalog, table) = Catalog(["v321r0", "v322r0"]);

        var pointer = await catalog.SetActiveAsync(["v321r0", "v322r0"], Sent, default);

        Assert.Equal(["v321r0", "v322r0"], pointer.ReleaseIds);
        Assert.Equal(Stored, pointer.ETag);
        table.Verify(t => t.UpdateEntityAsync(It.IsAny<TableEntity>(), Sent, TableUpdateMode.Replace, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task A412WhoseReReadShowsOtherIdsIsAConflict()
    {
        var (catalog, _) = Catalog(["v322r0"]);

        var ex = await Assert.ThrowsAsync<PointerConflictException>(() => catalog.SetActiveAsync(["v321r0", "v322r0"], Sent, default));

        Assert.Equal(["v322r0"], ex.Current!.ReleaseIds);
        Assert.Contains("[v322r0]", ex.Message);
    }

    [Fact]
    public async Task TheSameIdsInAnotherOrderAreAConflict()
    {
        // The ids are compared as an ordered list (ordinal): a reordering written by someone else is not our write.
        var (catalog, _) = Catalog(["v322r0", "v321r0"]);
        await Assert.ThrowsAsync<PointerConflictException>(() => catalog.SetActiveAsync(["v321r0", "v322r0"], Sent, default));
    }
}
