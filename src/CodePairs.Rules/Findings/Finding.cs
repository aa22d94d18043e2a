namespace CodePairs.Rules;

/// <summary>One thing wrong (or worth knowing) about a claim, explained.</summary>
/// <remarks>The words (<see cref="Message"/>, <see cref="Fix"/>) are composed on first read: validation stays cheap for
/// callers that only count or filter findings, and a response that shows them pays for them once.</remarks>
public sealed record Finding
{
    private FindingText? _text;
    private Func<string>? _messageFactory;
    private string? _message;
    private Func<Fix>? _fixFactory;
    private Fix? _fix;

    public required FindingKind Kind { get; init; }
    public required Severity Severity { get; init; }
    /// <summary>A stable machine-readable rule id (e.g. <c>ptp.indicator0</c>, <c>mue.dos-policy</c>).</summary>
    public required string Rule { get; init; }

    public string Message
    {
        get => _message ??= _text?.Message(this) ?? _messageFactory?.Invoke() ?? "";
        init => _message = value;
    }

    internal Func<string> MessageFactory { init => _messageFactory = value; }

    /// <summary>Composes the words from the finding's own fields (one shared instance per rule: nothing to allocate).</summary>
    internal FindingText Text { init => _text = value; }

    /// <summary>The claim judged, for words that depend on more than the finding holds (a line's modifiers).</summary>
    internal Claim? Claim { get; init; }
    /// <summary>All claim lines (1-based) involved.</summary>
    public required IReadOnlyList<int> Lines { get; init; }
    /// <summary>The lines that would be denied (empty for info and for warnings that deny nothing yet).</summary>
    public IReadOnlyList<int> DeniedLines { get; init; } = [];
    public required IReadOnlyList<string> Codes { get; init; }
    public DateOnly? DateOfService { get; init; }
    public RuleSource? Source { get; init; }
    public PtpDetail? Ptp { get; init; }
    public AddOnDetail? AddOn { get; init; }
    public MueDetail? Mue { get; init; }

    public Fix Fix
    {
        get => _fix ??= _text?.Fix(this) ?? _fixFactory?.Invoke() ?? new Fix("");
        init => _fix = value;
    }

    internal Func<Fix> FixFactory { init => _fixFactory = value; }
}
