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

    private const string Ours = "rs-00000000000a";
    private const string Theirs = "rs-00000000000b";

    private static (TableRuleCatalog Catalog, Mock<TableClient> Table) Catalog(string storedId)
    {
        var table = new Mock<TableClient>();
        table.Setup(t => t.CreateIfNotExistsAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(Response.FromValue(new TableItem("catalog"), Mock.Of<Response>()));
        table.Setup(t => t.UpdateEntityAsync(It.IsAny<TableEntity>(), It.IsAny<ETag>(), TableUpdateMode.Replace, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(412, "UpdateConditionNotSatisfied"));
        var current = new TableEntity(TableRuleCatalog.PointerPartition, TableRuleCatalog.PointerRowKey)
        {
            ["RuleSetId"] = storedId,
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
    public async Task A412WhoseReReadShowsOurIdReturnsThePointerAsStored()
    {
        var (catalog, table) = Catalog(Ours);

        var pointer = await catalog.SetActiveAsync(Ours, Sent, default);

        Assert.Equal((Ours, Stored), (pointer.RuleSetId, pointer.ETag));
        table.Verify(t => t.UpdateEntityAsync(It.IsAny<TableEntity>(), Sent, TableUpdateMode.Replace, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task A412WhoseReReadShowsAnotherIdIsAConflict()
    {
        var (catalog, _) = Catalog(Theirs);

        var ex = await Assert.ThrowsAsync<PointerConflictException>(() => catalog.SetActiveAsync(Ours, Sent, default));

        Assert.Equal(Theirs, ex.Current!.RuleSetId);
        Assert.Contains($"it now names {Theirs}", ex.Message);
    }
}
