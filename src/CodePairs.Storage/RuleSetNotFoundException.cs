namespace CodePairs.Storage;

/// <summary>No rule set with this id is in the catalogue.</summary>
public sealed class RuleSetNotFoundException(string id) : Exception($"rule set '{id}' is not in the catalogue")
{
    public string Id { get; } = id;
}
