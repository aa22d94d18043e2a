namespace CodePairs.Storage;

/// <summary>How a publish ends and what it keeps.</summary>
public sealed record PublishOptions
{
    /// <summary>Move the active pointer to the new rule set (false: stop once it is verified).</summary>
    public bool Activate { get; init; } = true;
    /// <summary>Versions of each table a rule set keeps (the latest): older versions still answer their dates until
    /// they fall out of this window.</summary>
    public int VersionsPerTable { get; init; } = 4;
    /// <summary>Retired rule sets kept for rollback besides the active one; older ones (and the table versions only they
    /// name) are deleted.</summary>
    public int RetainRuleSets { get; init; } = 2;
    /// <summary>Client-side throttle of the row writes (entities per second, 0 = none).</summary>
    public int MaxEntityWritesPerSecond { get; init; }
}
