using System.Text.Json.Serialization;

namespace CodePairs.Rules;

[JsonConverter(typeof(JsonStringEnumConverter<FindingKind>))]
public enum FindingKind
{
    [JsonStringEnumMemberName("ptp")] Ptp,
    [JsonStringEnumMemberName("addOn")] AddOn,
    [JsonStringEnumMemberName("mue")] Mue,
    [JsonStringEnumMemberName("invalidInput")] InvalidInput,
}

/// <summary>How serious a finding is, least to most.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Severity>))]
public enum Severity
{
    /// <summary>Worth knowing; the claim is still clean (e.g. an edit bypassed by a modifier, no published MUE).</summary>
    [JsonStringEnumMemberName("info")] Info,
    /// <summary>May be denied depending on the contractor or documentation.</summary>
    [JsonStringEnumMemberName("warning")] Warning,
    /// <summary>Will be denied unless an allowed modifier is appended (where clinically supported).</summary>
    [JsonStringEnumMemberName("bypassable")] Bypassable,
    /// <summary>Will be denied as billed.</summary>
    [JsonStringEnumMemberName("deny")] Deny,
}

/// <summary>Where a rule came from: a version of a CMS table, or a custom rule pack.</summary>
/// <param name="Table">ptp-practitioner, ptp-hospital, aoc, mue-practitioner, mue-hospital, mue-dme, or pack.</param>
/// <param name="Version">The table's CMS version (v322r0, AOC_V2026Q2, 2026-10-01), or the pack's version.</param>
/// <param name="EffectiveFrom">The first day the table version (or pack) is in force.</param>
/// <param name="Pack">The pack's name, for pack rules.</param>
public sealed record RuleSource(string Table, string Version, DateOnly? EffectiveFrom = null, string? Pack = null)
{
    public override string ToString() => Pack is null ? $"{Table} {Version}" : $"pack {Pack} {Version}";
}

/// <summary>The PTP row a finding rests on.</summary>
public sealed record PtpDetail(string Column1, string Column2, int ModifierIndicator, DateOnly Effective, DateOnly? Deletion, string Rationale, bool PriorTo1996);

/// <summary>The add-on rule a finding rests on.</summary>
public sealed record AddOnDetail(string AddOnCode, int? Type, IReadOnlyList<string> ListedPrimaries, DateOnly? EditEffective, DateOnly? EditDeletion, string? Notes);

/// <summary>The MUE a finding rests on.</summary>
public sealed record MueDetail(string Code, int? Value, int? AdjudicationIndicator, string? Adjudication, string? Rationale, int UnitsBilled);

/// <summary>What would make the claim payable, as concretely as the rule allows.</summary>
/// <param name="Action">What to do, in a sentence.</param>
/// <param name="BypassModifiers">Modifiers that would bypass the edit (only where the edit allows any).</param>
/// <param name="EligiblePrimaries">Primary codes that satisfy an add-on rule, compressed into ranges.</param>
/// <param name="UnitsAllowed">Units payable for the line (MAI 1) or the date of service (MAI 2/3).</param>
public sealed record Fix(string Action, IReadOnlyList<string>? BypassModifiers = null, IReadOnlyList<string>? EligiblePrimaries = null, int? UnitsAllowed = null);

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

/// <summary>How a kind of finding words itself from its own fields: one stateless instance per rule, so a finding
/// carries no closure or delegate until (and unless) its words are read.</summary>
internal abstract class FindingText
{
    public abstract string Message(Finding finding);
    public abstract Fix Fix(Finding finding);
}

/// <summary>A read-only list computed on first use (for explanation details that cost more than the check).</summary>
internal sealed class LazyList<T>(Func<IReadOnlyList<T>> factory) : IReadOnlyList<T>
{
    private IReadOnlyList<T>? _items;
    private IReadOnlyList<T> Items => _items ??= factory();
    public T this[int index] => Items[index];
    public int Count => Items.Count;
    public IEnumerator<T> GetEnumerator() => Items.GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>The verdict on one claim.</summary>
/// <param name="Clean">True when no finding is a warning or worse.</param>
/// <param name="TablesUsed">The table versions the claim was judged by (for each of its dates of service).</param>
public sealed record ValidationResult(bool Clean, IReadOnlyList<Finding> Findings, IReadOnlyList<RuleSource> TablesUsed, int Lines);
