using CodePairs.Rules;
using CodePairs.Rules.Batch;
using CodePairs.Storage;

namespace CodePairs.Functions.Batches;

/// <summary>Options of batch-file validation (section <c>CodePairs:Batches</c>).</summary>
public sealed class BatchOptions
{
    public const string Section = "CodePairs:Batches";

    /// <summary>The queue of chunk work items (the queue trigger's name; overridable for tests only).</summary>
    public const string ChunkQueueName = "batch-chunks";

    /// <summary>Files larger than this (bytes) are split into chunks of about this size, processed in parallel from
    /// the <c>batch-chunks</c> queue. A gzip file that says (in its trailer) it inflates to more than this is inflated
    /// once by its planning pass into a copy in the batch's output folder, and that copy is cut the same way.</summary>
    public long ChunkBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>The setting of claims whose lines name none: <c>practitioner</c> (also ASCs) or <c>hospital</c>.</summary>
    public string DefaultSetting { get; set; } = "practitioner";

    /// <summary>The engine for CSV and JSON Lines: <c>parallel</c> (issue 12: blocks parsed, validated and formatted on
    /// every core) or <c>reference</c> (the streaming reader of issue 6, kept to compare against). 837 files always use the reference.</summary>
    public string Engine { get; set; } = "parallel";

    /// <summary>Size of one staged output block (bytes); a chunk's output is a run of blocks of this size.</summary>
    public int PartBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest body accepted by <c>POST /api/v1/batches</c> (bytes).</summary>
    public long MaxSubmitBytes { get; set; } = 4L * 1024 * 1024 * 1024;

    /// <summary>Gzip files: the most bytes one may inflate to, the most bytes out per byte in (checked past 16 MiB
    /// out) and the most seconds spent inflating; past any, the batch fails for its content (issue 11).</summary>
    public long GzipMaxBytes { get; set; } = GzipLimits.Default.MaxBytesOut;
    public int GzipMaxRatio { get; set; } = GzipLimits.Default.MaxRatio;
    public int GzipMaxSeconds { get; set; } = (int)GzipLimits.Default.MaxTime.TotalSeconds;

    public GzipLimits Gzip() => GzipLimits.Default with
    {
        MaxBytesOut = GzipMaxBytes, MaxRatio = GzipMaxRatio, MaxTime = TimeSpan.FromSeconds(GzipMaxSeconds),
    };

    public string InputContainer { get; set; } = StorageNames.BatchesInContainer;
    public string OutputContainer { get; set; } = StorageNames.BatchesOutContainer;
    public string ChunkQueue { get; set; } = ChunkQueueName;

    /// <summary><see cref="DefaultSetting"/> read by the one setting parser (with the aliases configuration has always taken).</summary>
    public Setting ParsedDefaultSetting() => SettingNames.TryParse(DefaultSetting, out var setting, aliases: true)
        ? setting
        : throw new InvalidOperationException($"CodePairs:Batches:DefaultSetting must be {SettingNames.Expected}, not '{DefaultSetting}'");
}
