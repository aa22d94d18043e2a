using System.Text;
using CodePairs.Rules.Batch;

namespace CodePairs.Rules.X12;

/// <summary>Where an 837 claim came from and what of it was not checked; results point back to the file with it.</summary>
/// <param name="ClaimSegment">The segment number of the claim's CLM.</param>
/// <param name="ServiceLines">The claim's service lines (loop 2400), checked or not.</param>
/// <param name="LineNumbers">For each line the engine judged (in order), its 1-based position among the claim's service lines.</param>
/// <param name="LineNotes">For each judged line, how its units or date were read when that is not plain (a span, minutes, a fraction); null when none is.</param>
/// <param name="NotChecked">Service lines read but not checked (no HC code), with the reason.</param>
/// <param name="RevenueCodes">837I: each judged line's revenue code (SV2-01); null for an 837P.</param>
public sealed record X12ClaimInfo(int ClaimSegment, int ServiceLines, IReadOnlyList<int> LineNumbers, IReadOnlyList<string?>? LineNotes,
    IReadOnlyList<X12NotChecked> NotChecked, IReadOnlyList<string?>? RevenueCodes = null);

/// <summary>A service line that was read but not checked: its position in the claim, its segment, what it carries and why.</summary>
public sealed record X12NotChecked(int Line, int Segment, string Code, string Reason);

/// <summary>
/// One claim (loop 2300) being read: CLM01 (the claim id), CLM05 (facility type and frequency), the claim-level date
/// (<c>DTP*472</c> in 837P, statement dates <c>DTP*434</c> in 837I) and its service lines. <see cref="Finish"/> turns
/// it into a <see cref="BatchClaim"/> or one <see cref="BatchRejection"/> naming the first bad segment.
/// </summary>
internal sealed class X12ClaimDraft
{
    /// <summary>X12's own limits on loop 2400: 50 service lines per 837P claim, 999 per 837I claim.</summary>
    public const int MaxProfessionalLines = 50, MaxInstitutionalLines = 999;
    private const int MaxReasons = 5;


    private readonly List<X12ServiceLine> _lines = [];
    private readonly List<X12ServiceLine> _pool = [];
    private readonly List<string> _errors = [];
    private int _segment, _errorSegment;
    private string? _id, _notChecked;
    private X12Kind _kind;
    private bool _orphan, _claimDateSeen;
    private DateOnly _from, _through;

    public void Start(int segment, ReadOnlySpan<byte> clm, X12Delimiters d, X12Kind kind, bool orphan)
    {
        foreach (var line in _lines) _pool.Add(line);
        _lines.Clear();
        _errors.Clear();
        (_segment, _errorSegment, _kind, _orphan, _claimDateSeen, _notChecked) = (segment, 0, kind, orphan, false, null);
        var id = X12Segments.Element(clm, d.Element, 1).Trim((byte)' ');
        _id = id.IsEmpty ? null : Encoding.UTF8.GetString(id);
        if (_id is null) Error(segment, X12Text.At(segment, "CLM", "CLM01", "the claim id (patient control number) is empty"));
        else if (_id.Length > ClaimLimits.MaxClaimIdLength)
            Error(segment, X12Text.At(segment, "CLM", "CLM01", $"the claim id is {_id.Length} characters; at most {ClaimLimits.MaxClaimIdLength} are accepted"));
        var place = X12Segments.Element(clm, d.Element, 5);
        var facility = X12Segments.Component(place, d.Component, 1).Trim((byte)' ');
        var frequency = X12Segments.Component(place, d.Component, 3).Trim((byte)' ');
        if (frequency.SequenceEqual("8"u8))
            _notChecked = $"not checked: the claim is a void/cancel of a prior claim (CLM05-3 frequency 8, segment {segment})";
        else if (kind == X12Kind.Institutional && IsInpatient(facility))
            _notChecked = $"not checked: an inpatient claim (type of bill {X12Text.Code(facility, 2)}x, CLM05-1 at segment {segment}); NCCI's outpatient hospital edits do not apply";
    }

    /// <summary>*Inferred*: facility types (CLM05-1, the type of bill's first two digits) whose claims are inpatient Part A
    /// stays: hospital 11x, swing bed 18x, SNF 21x, religious non-medical 41x. NCCI's outpatient hospital edits do not apply.</summary>
    private static bool IsInpatient(ReadOnlySpan<byte> facility)
        => facility.SequenceEqual("11"u8) || facility.SequenceEqual("18"u8) || facility.SequenceEqual("21"u8) || facility.SequenceEqual("41"u8);

    public X12ServiceLine AddLine(int lxSegment)
    {
        X12ServiceLine line;
        if (_pool.Count > 0) { line = _pool[^1]; _pool.RemoveAt(_pool.Count - 1); }
        else line = new X12ServiceLine();
        line.Reset(_lines.Count + 1, lxSegment);
        _lines.Add(line);
        return line;
    }

    /// <summary>SV1 (837P) or SV2 (837I) of the current service line.</summary>
    public void Service(int segment, bool sv1, ReadOnlySpan<byte> data, X12Delimiters d)
    {
        var id = sv1 ? "SV1" : "SV2";
        var expected = _kind == X12Kind.Institutional ? "SV2" : "SV1";
        if (_lines.Count == 0) { Error(segment, X12Text.At(segment, id, null, "a service line without LX before it (loop 2400 starts with LX)")); return; }
        var line = _lines[^1];
        if ((_kind is X12Kind.Professional or X12Kind.Institutional) && id != expected)
        {
            Error(segment, X12Text.At(segment, id, null, $"an {id} service line in an {(_kind == X12Kind.Institutional ? "837I" : "837P")} transaction set, which uses {expected}"));
            if (line.ServiceSegment == 0) line.ServiceSegment = segment; // the line has its (wrong) service segment: one problem, not two
            return;
        }
        if (line.ServiceSegment != 0) { Error(segment, X12Text.At(segment, id, null, $"a second {id} in service line {line.Number} (LX at segment {line.LxSegment})")); return; }
        var before = _errors.Count;
        if (sv1) line.ReadSv1(segment, data, d, _errors);
        else line.ReadSv2(segment, data, d, _errors);
        if (before == 0 && _errors.Count > 0) _errorSegment = segment;
    }

    /// <summary>A DTP: 472 on a service line is its date; before the first line, 472 (837P) or 434 (837I) is the claim's.</summary>
    public void Date(int segment, ReadOnlySpan<byte> data, X12Delimiters d)
    {
        var qualifier = X12Segments.Element(data, d.Element, 1).Trim((byte)' ');
        var line = _lines.Count > 0 ? _lines[^1] : null;
        bool serviceDate = qualifier.SequenceEqual("472"u8), statement = qualifier.SequenceEqual("434"u8);
        if (line is not null)
        {
            if (!serviceDate) return;
            if (line.DateSeen) { Error(segment, X12Text.At(segment, "DTP", "DTP01", $"a second service date (472) in service line {line.Number}")); return; }
            line.DateSeen = true;
            var before = _errors.Count;
            line.HasDate = X12ServiceLine.TryReadDate(segment, data, d, _errors, out line.From, out line.Through);
            if (before == 0 && _errors.Count > 0) _errorSegment = segment;
            return;
        }
        if (!(serviceDate && _kind != X12Kind.Institutional) && !(statement && _kind == X12Kind.Institutional)) return;
        if (_claimDateSeen) { Error(segment, X12Text.At(segment, "DTP", "DTP01", $"a second claim date ({(statement ? "434" : "472")})")); return; }
        _claimDateSeen = true;
        var count = _errors.Count;
        X12ServiceLine.TryReadDate(segment, data, d, _errors, out _from, out _through);
        if (count == 0 && _errors.Count > 0) _errorSegment = segment;
    }

    private void Error(int segment, string reason)
    {
        if (_errors.Count == 0) _errorSegment = segment;
        _errors.Add(reason);
    }

    /// <summary>The claim as read. <paramref name="incomplete"/>: the file ended (or became unreadable) inside it.</summary>
    public BatchItem Finish(bool incomplete)
    {
        if (incomplete) return Reject(_segment, $"segment {_segment} CLM: the file ends inside the claim's transaction set (no SE), so the claim may be incomplete; not checked");
        var maxLines = _kind == X12Kind.Institutional ? MaxInstitutionalLines : MaxProfessionalLines;
        foreach (var line in _lines)
        {
            if (line.ServiceSegment == 0)
                Error(line.LxSegment, X12Text.At(line.LxSegment, "LX", null, $"service line {line.Number} has no {(_kind == X12Kind.Institutional ? "SV2" : "SV1")}"));
            else if (!line.DateSeen && !_claimDateSeen && line.NotCheckedReason is null)
                Error(line.ServiceSegment, X12Text.At(line.ServiceSegment, _kind == X12Kind.Institutional ? "SV2" : "SV1", null,
                    $"service line {line.Number} has no date of service: no DTP*472 on the line and no {(_kind == X12Kind.Institutional ? "statement dates (DTP*434)" : "DTP*472")} on the claim"));
        }
        // A claim outside an 837P/837I is not read as one (its segments follow another guide), so that comes first.
        if (_orphan) return Reject(_segment, $"segment {_segment} CLM: a claim outside any transaction set (no ST before it); not checked");
        var foreign = _kind switch
        {
            X12Kind.Dental => "not checked: a dental claim (837D); NCCI edits cover CPT/HCPCS services, not CDT",
            X12Kind.Unknown837 => "not checked: its transaction set is neither 837P (005010X222A1) nor 837I (005010X223A2)",
            X12Kind.NotClaims => "not checked: a CLM in a transaction set that is not an 837",
            _ => null,
        };
        if (foreign is not null) return Reject(_segment, foreign);
        if (_errors.Count > 0)
        {
            var reasons = string.Join("; ", _errors.Take(MaxReasons)) + (_errors.Count > MaxReasons ? $"; and {_errors.Count - MaxReasons} more problems" : "");
            return Reject(_errorSegment, $"{reasons}; the claim (CLM at segment {_segment}) is not checked");
        }
        if (_notChecked is not null) return Reject(_segment, _notChecked);
        if (_lines.Count == 0) return Reject(_segment, $"segment {_segment} CLM: the claim has no service line (loop 2400: LX with SV1/SV2); not checked");
        if (_lines.Count > maxLines)
            return Reject(_lines[maxLines].LxSegment, $"segment {_lines[maxLines].LxSegment} LX: the claim has {_lines.Count} service lines; an {(_kind == X12Kind.Institutional ? "837I" : "837P")} claim has at most {maxLines}; not checked");
        return Build();
    }

    private BatchItem Build()
    {
        var checkedLines = 0;
        foreach (var line in _lines) if (line.NotCheckedReason is null) checkedLines++;
        List<X12NotChecked>? notChecked = null;
        if (checkedLines < _lines.Count)
        {
            notChecked = [];
            foreach (var line in _lines)
                if (line.NotCheckedReason is not null)
                    notChecked.Add(new X12NotChecked(line.Number, line.ServiceSegment, line.OtherCode ?? "", $"not checked: {line.NotCheckedReason}"));
        }
        if (checkedLines == 0 && notChecked is not null)
            return Reject(_segment, $"not checked: no service line carries an HC (HCPCS/CPT) code ({string.Join("; ", notChecked.Take(MaxReasons).Select(n => $"line {n.Line}, segment {n.Segment}: {n.Code}"))})");

        var lines = new ClaimLine[checkedLines];
        var inputLines = new int[checkedLines];
        // Most claims have every line checked: their line numbers are 1..n, one shared array per n.
        var numbers = notChecked is null ? Identity(checkedLines) : new int[checkedLines];
        string?[]? notes = null;
        var revenue = _kind == X12Kind.Institutional ? new string?[checkedLines] : null;
        var claimDate = DateOnly.MaxValue;
        var k = 0;
        foreach (var line in _lines)
        {
            if (line.NotCheckedReason is not null) continue;
            var (from, through) = line.HasDate ? (line.From, line.Through) : (_from, _through);
            var days = DateSpan.Days(from, through);
            var units = DateSpan.UnitsPerDay(line.Units, days);
            var note = line.UnitsNote;
            if (days > 1)
            {
                var source = line.HasDate ? "RD8" : _kind == X12Kind.Institutional ? "the claim's statement dates, DTP*434" : "the claim's DTP*472";
                var span = $"spans {days} days ({source}): checked on its first day with {units} unit{(units == 1 ? "" : "s")} " +
                           $"({line.Units} ÷ {days} days, the MUE rule for date spans)";
                note = note is null ? span : $"{note}; {span}";
            }
            if (note is not null) (notes ??= new string?[checkedLines])[k] = $"line {line.Number} {note}";
            var modifiers = line.ModifierCount == 0 ? [] : line.Modifiers.AsSpan(0, line.ModifierCount).ToArray();
            lines[k] = new ClaimLine(line.Code, modifiers, units, from);
            inputLines[k] = line.ServiceSegment;
            if (revenue is not null) revenue[k] = line.RevenueCode;
            if (notChecked is not null) numbers[k] = line.Number;
            if (from < claimDate) claimDate = from;
            k++;
        }
        var setting = _kind == X12Kind.Institutional ? Setting.Hospital : Setting.Practitioner;
        return new BatchClaim(new Claim(setting, claimDate, lines, _id), inputLines)
        {
            X12 = new X12ClaimInfo(_segment, _lines.Count, numbers, notes, notChecked ?? (IReadOnlyList<X12NotChecked>)[], revenue),
        };
    }

    private static readonly int[]?[] Identities = new int[MaxInstitutionalLines + 1][];

    private static int[] Identity(int n)
    {
        if (Identities[n] is { } cached) return cached;
        var numbers = new int[n];
        for (var i = 0; i < n; i++) numbers[i] = i + 1;
        return Identities[n] = numbers; // a benign race: any copy is the same numbers
    }

    private BatchRejection Reject(int segment, string reason) => new(segment, _id is { Length: > ClaimLimits.MaxClaimIdLength } ? _id[..ClaimLimits.MaxClaimIdLength] : _id, reason)
    {
        ClaimSegment = _segment,
    };
}
