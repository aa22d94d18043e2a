using System.Text.Json.Serialization;
using CodePairs.Rules;

namespace CodePairs.Functions.Http;

/// <summary>The answer to a claim: the partner's own claim id is echoed back to them (never logged).</summary>
public sealed record ClaimResponse(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ClaimId,
    bool Clean,
    int Lines,
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<RuleSource> TablesUsed);
