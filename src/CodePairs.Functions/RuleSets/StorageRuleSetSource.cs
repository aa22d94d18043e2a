using CodePairs.Rules;
using CodePairs.Storage;

namespace CodePairs.Functions.RuleSets;

/// <summary>The active set as storage holds it: the pointer in the catalogue, the rule set's snapshot blob.</summary>
public sealed class StorageRuleSetSource(IRuleCatalog catalog, RuleSetLoader loader) : IRuleSetSource
{
    public async Task<string?> GetActiveRuleSetIdAsync(CancellationToken cancellationToken)
        => (await catalog.GetActiveAsync(cancellationToken))?.RuleSetId;

    public async Task<RuleSet> LoadAsync(string ruleSetId, CancellationToken cancellationToken)
    {
        var entry = await catalog.GetRuleSetAsync(ruleSetId, cancellationToken)
            ?? throw new InvalidDataException($"the active pointer names rule set {ruleSetId}, which is not in the catalogue");
        return await loader.LoadAsync(entry, cancellationToken);
    }
}
