namespace CodePairs.Rules;

/// <summary>What would make the claim payable, as concretely as the rule allows.</summary>
/// <param name="Action">What to do, in a sentence.</param>
/// <param name="BypassModifiers">Modifiers that would bypass the edit (only where the edit allows any).</param>
/// <param name="EligiblePrimaries">Primary codes that satisfy an add-on rule, compressed into ranges.</param>
/// <param name="UnitsAllowed">Units payable for the line (MAI 1) or the date of service (MAI 2/3).</param>
public sealed record Fix(string Action, IReadOnlyList<string>? BypassModifiers = null, IReadOnlyList<string>? EligiblePrimaries = null, int? UnitsAllowed = null);
