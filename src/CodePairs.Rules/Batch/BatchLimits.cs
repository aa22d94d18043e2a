namespace CodePairs.Rules.Batch;

/// <summary>
/// What one batch file may hold, so no file can exhaust a worker (issue 11). A line past <see cref="MaxLineChars"/>
/// is rejected without being held; a claim past <see cref="ClaimLimits.MaxLines"/> lines is cut off and rejected at
/// once; a file past <see cref="MaxFileLines"/> lines fails. Gzip limits are <see cref="GzipLimits"/>.
/// </summary>
public static class BatchLimits
{
    /// <summary>The longest line read (characters): the HTTP API's largest claim body (64 KiB) as one JSON line; a CSV
    /// service line is under 200.</summary>
    public const int MaxLineChars = 64 * 1024;

    /// <summary>The most lines a file may have (a 10M-line CSV is ≈ 310 MiB; this is ≈ 3 GiB of claim lines).</summary>
    public const int MaxFileLines = 100_000_000;
}
