using System.IO.Hashing;
using System.Text.Json.Serialization;

namespace CodePairs.Rules.X12;

/// <summary>What a transaction set holds, from ST01 and ST03 (or GS08).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<X12Kind>))]
public enum X12Kind
{
    /// <summary>Outside any transaction set.</summary>
    None,
    /// <summary>837P, 005010X222A1: practitioner claims (SV1).</summary>
    Professional,
    /// <summary>837I, 005010X223A2: institutional claims (SV2), judged by the outpatient hospital tables.</summary>
    Institutional,
    /// <summary>837D, 005010X224A2: dental claims (CDT codes; NCCI does not edit them).</summary>
    Dental,
    /// <summary>An 837 of another implementation guide (ST03/GS08): its claims are not checked.</summary>
    Unknown837,
    /// <summary>Not an 837 (ST01 is 835, 276, …): its segments are not read.</summary>
    NotClaims,
}

/// <summary>
/// The envelope state at a point of the file: open interchange, group and transaction set (by the segment number
/// that opened them, 0 = not open), what each has counted so far and hashes of their control numbers. A chunk of a
/// large file starts from the state the planner saw there, so envelope checks come out as if the file were read
/// whole. Control numbers are kept only as hashes: a plan holds nothing copied from the file.
/// </summary>
public sealed record X12EnvelopeState(
    int IsaSegment, ulong IsaControl, int Groups,
    int GsSegment, ulong GsControl, int Transactions, X12Kind GroupKind,
    int StSegment, ulong StControl, int Segments, X12Kind Kind);

/// <summary>Where a chunk of an 837 file starts: the delimiters in force, its first segment's number and the envelope state.</summary>
public sealed record X12Resume(string Delimiters, int Segment, X12EnvelopeState Envelope);

/// <summary>
/// Checks the envelopes as segments go by: ISA/IEA (IEA01 = groups, IEA02 = ISA13), GS/GE (GE01 = transaction sets,
/// GE02 = GS06), ST/SE (SE01 = segments from ST to SE, SE02 = ST02), and that each opens inside the one above and
/// closes before the next. A problem is reported where it is seen, as text naming the segment and element; reading
/// goes on (the claims inside a broken envelope are still checked).
/// </summary>
internal sealed class X12Envelope
{
    private int _isa, _groups, _gs, _transactions, _st, _segments;
    private ulong _isaControl, _gsControl, _stControl;
    private X12Kind _groupKind, _kind;

    public X12Envelope(X12EnvelopeState? state = null)
    {
        if (state is null) return;
        (_isa, _isaControl, _groups, _gs, _gsControl, _transactions, _groupKind, _st, _stControl, _segments, _kind) =
            (state.IsaSegment, state.IsaControl, state.Groups, state.GsSegment, state.GsControl, state.Transactions, state.GroupKind,
             state.StSegment, state.StControl, state.Segments, state.Kind);
    }

    public X12EnvelopeState Save() => new(_isa, _isaControl, _groups, _gs, _gsControl, _transactions, _groupKind, _st, _stControl, _segments, _kind);

    public bool InTransaction => _st > 0;

    /// <summary>The current transaction set's kind (<see cref="X12Kind.None"/> outside one).</summary>
    public X12Kind Kind => _st > 0 ? _kind : X12Kind.None;

    /// <summary>Counts a segment that is not an envelope segment (for SE01).</summary>
    public void Count()
    {
        if (_st > 0) _segments++;
    }

    /// <summary>Takes one envelope segment (<see cref="IsEnvelopeId"/>).</summary>
    public void Step(int number, ReadOnlySpan<byte> id, ReadOnlySpan<byte> segment, byte separator, Action<int, string>? problem)
    {
        var e = new X12Elements(segment, separator);
        switch (id)
        {
            case [(byte)'I', (byte)'S', (byte)'A']:
                if (_isa > 0) problem?.Invoke(number, $"segment {number} ISA: a new interchange starts before IEA closed the one at segment {_isa}");
                CloseOpen(number, problem, "ISA");
                (_isa, _isaControl, _groups) = (number, Hash(e[13]), 0);
                break;
            case [(byte)'G', (byte)'S']:
                if (_isa == 0) problem?.Invoke(number, $"segment {number} GS: a functional group outside an interchange (no ISA before it)");
                if (_gs > 0) problem?.Invoke(number, $"segment {number} GS: a new functional group starts before GE closed the one at segment {_gs}");
                CloseTransaction(number, problem, "GS");
                (_gs, _gsControl, _transactions, _groupKind) = (number, Hash(e[6]), 0, KindOf(e[8]));
                break;
            case [(byte)'S', (byte)'T']:
                if (_gs == 0) problem?.Invoke(number, $"segment {number} ST: a transaction set outside a functional group (no GS before it)");
                if (_st > 0) problem?.Invoke(number, $"segment {number} ST: a new transaction set starts before SE closed the one at segment {_st}");
                (_st, _stControl, _segments) = (number, Hash(e[2]), 1);
                _kind = e[1].SequenceEqual("837"u8) ? (e[3].IsEmpty ? _groupKind : KindOf(e[3])) : X12Kind.NotClaims;
                if (_kind == X12Kind.NotClaims)
                    problem?.Invoke(number, $"segment {number} ST, ST01: transaction set {Text(e[1], 3)} is not an 837 health care claim; its segments are not read");
                else if (_kind == X12Kind.Unknown837)
                    problem?.Invoke(number, $"segment {number} ST, ST03: the implementation guide is neither 837P (005010X222A1) nor 837I (005010X223A2); its claims are not checked");
                break;
            case [(byte)'S', (byte)'E']:
                if (_st == 0) { problem?.Invoke(number, $"segment {number} SE: no transaction set is open (no ST before it)"); break; }
                _segments++;
                if (!TryCount(e[1], out var count) || count != _segments)
                    problem?.Invoke(number, $"segment {number} SE, SE01: {Said(e[1])} segments; the transaction set from ST (segment {_st}) to SE has {_segments}");
                if (Hash(e[2]) != _stControl)
                    problem?.Invoke(number, $"segment {number} SE, SE02: does not match ST02 of the transaction set at segment {_st}");
                (_st, _kind) = (0, X12Kind.None);
                _transactions++;
                break;
            case [(byte)'G', (byte)'E']:
                CloseTransaction(number, problem, "GE");
                if (_gs == 0) { problem?.Invoke(number, $"segment {number} GE: no functional group is open (no GS before it)"); break; }
                if (!TryCount(e[1], out var sets) || sets != _transactions)
                    problem?.Invoke(number, $"segment {number} GE, GE01: {Said(e[1])} transaction sets; the functional group at segment {_gs} has {_transactions}");
                if (Hash(e[2]) != _gsControl)
                    problem?.Invoke(number, $"segment {number} GE, GE02: does not match GS06 of the functional group at segment {_gs}");
                _gs = 0;
                _groups++;
                break;
            case [(byte)'I', (byte)'E', (byte)'A']:
                CloseOpen(number, problem, "IEA");
                if (_isa == 0) { problem?.Invoke(number, $"segment {number} IEA: no interchange is open (no ISA before it)"); break; }
                if (!TryCount(e[1], out var groups) || groups != _groups)
                    problem?.Invoke(number, $"segment {number} IEA, IEA01: {Said(e[1])} functional groups; the interchange at segment {_isa} has {_groups}");
                if (Hash(e[2]) != _isaControl)
                    problem?.Invoke(number, $"segment {number} IEA, IEA02: does not match ISA13 of the interchange at segment {_isa}");
                _isa = 0;
                break;
        }
    }

    /// <summary>The end of the file: whatever is still open was never closed.</summary>
    public void End(int lastNumber, Action<int, string>? problem)
    {
        if (_st > 0) problem?.Invoke(lastNumber, $"the file ends (segment {lastNumber}) inside the transaction set at segment {_st}: SE is missing");
        if (_gs > 0) problem?.Invoke(lastNumber, $"the file ends (segment {lastNumber}) inside the functional group at segment {_gs}: GE is missing");
        if (_isa > 0) problem?.Invoke(lastNumber, $"the file ends (segment {lastNumber}) inside the interchange at segment {_isa}: IEA is missing");
        _st = _gs = _isa = 0;
    }

    private void CloseTransaction(int number, Action<int, string>? problem, string by)
    {
        if (_st == 0) return;
        problem?.Invoke(number, $"segment {number} {by}: the transaction set at segment {_st} was not closed by SE");
        (_st, _kind) = (0, X12Kind.None);
        _transactions++;
    }

    private void CloseOpen(int number, Action<int, string>? problem, string by)
    {
        CloseTransaction(number, problem, by);
        if (_gs == 0) return;
        problem?.Invoke(number, $"segment {number} {by}: the functional group at segment {_gs} was not closed by GE");
        _gs = 0;
        _groups++;
    }

    public static bool IsEnvelopeId(ReadOnlySpan<byte> id)
        => id.Length is 2 or 3 && (id[0] is (byte)'I' or (byte)'G' or (byte)'S') && (id.SequenceEqual("ISA"u8) || id.SequenceEqual("GS"u8) || id.SequenceEqual("ST"u8) || id.SequenceEqual("SE"u8) ||
           id.SequenceEqual("GE"u8) || id.SequenceEqual("IEA"u8));

    /// <summary>The implementation from a version (GS08/ST03): X222 = 837P, X223 = 837I, X224 = 837D (any addenda).</summary>
    private static X12Kind KindOf(ReadOnlySpan<byte> version)
        => version.IndexOf("X222"u8) >= 0 ? X12Kind.Professional
            : version.IndexOf("X223"u8) >= 0 ? X12Kind.Institutional
            : version.IndexOf("X224"u8) >= 0 ? X12Kind.Dental
            : X12Kind.Unknown837;

    private static ulong Hash(ReadOnlySpan<byte> control)
    {
        control = control.Trim((byte)' ');
        // Compared without leading zeros: the value must match; senders pad GS06/GE02 and ST02/SE02 inconsistently.
        while (control.Length > 1 && control[0] == (byte)'0') control = control[1..];
        return XxHash64.HashToUInt64(control);
    }

    private static bool TryCount(ReadOnlySpan<byte> text, out int count)
    {
        count = 0;
        text = text.Trim((byte)' ');
        if (text.IsEmpty || text.Length > 9) return false;
        foreach (var b in text)
        {
            if (b is < (byte)'0' or > (byte)'9') return false;
            count = count * 10 + (b - '0');
        }
        return true;
    }

    /// <summary>A count element as said, for messages (digits only; anything else is named, not quoted).</summary>
    private static string Said(ReadOnlySpan<byte> text)
        => TryCount(text, out var n) ? $"says {n}" : text.Trim((byte)' ').IsEmpty ? "is empty, not a count of" : "is not a count of";

    private static string Text(ReadOnlySpan<byte> text, int max)
    {
        var chars = new char[Math.Min(text.Length, max)];
        for (var i = 0; i < chars.Length; i++) chars[i] = char.IsAsciiLetterOrDigit((char)text[i]) ? (char)text[i] : '?';
        return new string(chars);
    }
}
