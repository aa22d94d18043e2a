using CodePairs.Rules;

namespace CodePairs.Functions.Http;

/// <summary>What one claim's JSON became: the claim, or the problem that stops it (title, detail, field errors), with the
/// partner's claim id when it could be read.</summary>
public readonly record struct DecodedClaim(Claim? Claim, string? ClaimId, string? Title, string? Detail, IReadOnlyList<InputError>? Errors);
