using CodePairs.Rules;

namespace CodePairs.Functions.Http;

/// <summary>Limits and behaviour of the HTTP API (section <c>CodePairs:Api</c>).</summary>
public sealed class ApiOptions
{
    public const string Section = "CodePairs:Api";
    /// <summary>Largest claim body accepted (bytes).</summary>
    public int MaxClaimBytes { get; set; } = 64 * 1024;
    /// <summary>Most lines in one claim.</summary>
    public int MaxClaimLines { get; set; } = ClaimLimits.MaxLines;
    /// <summary>Largest batch body accepted (bytes): a JSON array of claims or NDJSON.</summary>
    public int MaxBatchBytes { get; set; } = 4 * 1024 * 1024;
    /// <summary>Most claims in one batch request.</summary>
    public int MaxBatchClaims { get; set; } = 1_000;
    /// <summary>Retry-After sent with 503 while no rule set is loaded.</summary>
    public int RetryAfterSeconds { get; set; } = 30;
}
