using Azure;
using CodePairs.Rules;

namespace CodePairs.Storage;

/// <summary>The catalogue: table versions, rule sets, and the active pointer.</summary>
public interface IRuleCatalog
{
    Task<IReadOnlyList<TableVersionEntry>> ListVersionsAsync(CancellationToken ct);
    Task<TableVersionEntry?> GetVersionAsync(TableId table, string key, CancellationToken ct);
    Task UpsertVersionAsync(TableVersionEntry entry, CancellationToken ct);

    Task<IReadOnlyList<RuleSetEntry>> ListRuleSetsAsync(CancellationToken ct);
    Task<RuleSetEntry?> GetRuleSetAsync(string id, CancellationToken ct);
    Task UpsertRuleSetAsync(RuleSetEntry entry, CancellationToken ct);

    Task<ActivePointer?> GetActiveAsync(CancellationToken ct);

    /// <summary>ETag-conditional (expected null = create only if absent). On 412: re-read; if the stored id already is
    /// <paramref name="ruleSetId"/> return it, else throw <see cref="PointerConflictException"/>.</summary>
    Task<ActivePointer> SetActiveAsync(string ruleSetId, ETag? expected, CancellationToken ct);
}
