namespace CodePairs.Functions.Refresh;

/// <summary>Options of the rule refresh (section <c>CodePairs:Rules</c>, shared with the in-memory set).</summary>
public sealed class RefreshOptions
{
    public const string Section = "CodePairs:Rules";

    /// <summary>CMS zip URLs of one release, separated by <c>;</c> (empty: the drop container only).</summary>
    public string? UrlSources { get; set; }

    /// <summary>Largest file accepted from a URL (bytes); CMS's largest zip is well under 200 MiB.</summary>
    public long MaxDownloadBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Per-attempt download timeout (seconds).</summary>
    public int DownloadTimeoutSeconds { get; set; } = 300;

    /// <summary>How many retired rule sets to keep for rollback besides the active one; table versions only older ones
    /// name have their rows deleted.</summary>
    public int RetainRuleSets { get; set; } = 2;

    /// <summary>Versions of each table a rule set keeps (the latest): a year of quarterly versions by default.</summary>
    public int VersionsPerTable { get; set; } = 4;

    /// <summary>The parts a PTP table version must have (CMS ships f1–f4).</summary>
    public int PtpParts { get; set; } = 4;

    /// <summary>Client-side throttle of the release write (entities per second, 0 = none). Azure's targets are 20,000
    /// entities/s per account and 2,000 per partition; the default leaves half the account for everything else.</summary>
    public int MaxEntityWritesPerSecond { get; set; } = 10_000;

    /// <summary>The release protocol's options, from these.</summary>
    public Storage.PublishOptions Publish() => new()
    {
        VersionsPerTable = VersionsPerTable, RetainRuleSets = RetainRuleSets, MaxEntityWritesPerSecond = MaxEntityWritesPerSecond,
    };

    public IReadOnlyList<Uri> Urls() => (UrlSources ?? "")
        .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri
            : throw new InvalidOperationException($"CodePairs:Rules:UrlSources has an entry that is not an http(s) URL: '{u}'"))
        .ToArray();
}
