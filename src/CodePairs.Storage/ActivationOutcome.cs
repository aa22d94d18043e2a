namespace CodePairs.Storage;

/// <summary>What <see cref="RulePublisher.TryActivateAsync"/> did: the active entry, or the refusal and its reason.</summary>
public sealed record ActivationOutcome(RuleSetEntry? Entry, ActivationRefusal Refusal, string? Reason)
{
    public static ActivationOutcome Refused(ActivationRefusal refusal, string reason) => new(null, refusal, reason);
}
