namespace CodePairs.Rules;

/// <summary>One service line. <see cref="DateOfService"/> is null when the line takes the claim's date.</summary>
public sealed record ClaimLine(HcpcsCode Code, IReadOnlyList<Modifier> Modifiers, int Units = 1, DateOnly? DateOfService = null)
{
    public ClaimLine(HcpcsCode code, int units = 1, DateOnly? dateOfService = null, params Modifier[] modifiers)
        : this(code, modifiers, units, dateOfService) { }
}

/// <summary>A claim as the engine judges it: lines are numbered from 1 in the order given.</summary>
public sealed record Claim(Setting Setting, DateOnly DateOfService, IReadOnlyList<ClaimLine> Lines, string? ClaimId = null)
{
    public DateOnly DateOf(int lineIndex) => Lines[lineIndex].DateOfService ?? DateOfService;
}

/// <summary>Limits every door applies before the engine sees a claim.</summary>
public static class ClaimLimits
{
    public const int MaxUnits = 99_999;
    public const int MaxLines = 100;
    public const int MaxClaimIdLength = 64;
}
