using CodePairs.Rules.Batch;

namespace CodePairs.Rules.X12;

/// <summary>
/// Streams an ASC X12 005010 837 file (837P X222A1, 837I X223A2) one claim at a time: delimiters from each ISA,
/// envelopes checked (<see cref="X12Envelope"/>), loop 2300 (CLM) and its 2400 service lines (LX, SV1/SV2, DTP*472).
/// Every CLM segment is one claim in, and ends up as exactly one <see cref="BatchClaim"/> or one
/// <see cref="BatchRejection"/>; envelope errors and stray segments are <see cref="BatchProblem"/>s. Segments the edits
/// do not need (names, member ids, birth dates, diagnoses, amounts…) are skipped unread. Only a file that does not
/// start with ISA throws (<see cref="BatchFileException"/>); everything else is a result.
/// </summary>
public sealed class X12ClaimReader
{
    private readonly X12Segments _segments;
    private readonly X12Envelope _envelope;
    private readonly bool _endsFile;
    private readonly bool _resumed;
    private readonly X12ClaimDraft _claim = new();
    private readonly List<BatchItem> _out = [];
    private readonly Action<int, string> _problem;
    private bool _inClaim;

    /// <param name="input">The whole file, or one chunk of it (<paramref name="slice"/> says where it starts inside the envelopes).</param>
    public X12ClaimReader(Stream input, BatchSlice? slice = null)
    {
        if (slice?.X12Start is { } start)
        {
            _segments = new X12Segments(input, X12Delimiters.Decode(start.Delimiters), start.Segment);
            _envelope = new X12Envelope(start.Envelope);
            _resumed = true;
        }
        else
        {
            _segments = new X12Segments(input, null);
            _envelope = new X12Envelope();
        }
        _endsFile = slice?.EndsFile ?? true;
        _problem = (segment, reason) => _out.Add(new BatchProblem(segment, reason));
    }

    /// <summary>Claims (CLM segments) read so far, checked or rejected.</summary>
    public int ClaimsRead { get; private set; }

    /// <summary>Service lines (LX segments inside claims) read so far.</summary>
    public int ServiceLinesRead { get; private set; }

    public IEnumerable<BatchItem> Read()
    {
        while (true)
        {
            var more = Next(out var fatal);
            if (!more)
            {
                End(fatal);
                foreach (var item in _out) yield return item;
                _out.Clear();
                yield break;
            }
            Take(_segments.Number, _segments.Segment, _segments.Delimiters);
            if (_out.Count == 0) continue;
            foreach (var item in _out) yield return item;
            _out.Clear();
        }
    }

    private bool Next(out X12SyntaxException? fatal)
    {
        fatal = null;
        try
        {
            if (_segments.MoveNext()) return true;
            if (!_resumed && _segments.Number == 0) throw new BatchFileException("segment 1: the file is empty; an X12 file starts with an ISA segment");
            return false;
        }
        catch (X12SyntaxException e) when (_resumed || e.Segment > 1)
        {
            fatal = e;
            return false;
        }
        catch (X12SyntaxException e)
        {
            throw new BatchFileException($"segment {e.Segment}: {e.Message}");
        }
    }

    private void End(X12SyntaxException? fatal)
    {
        if (fatal is not null)
        {
            if (_inClaim) _out.Add(_claim.Finish(incomplete: true));
            _out.Add(new BatchProblem(fatal.Segment, $"segment {fatal.Segment}: {fatal.Message}; the rest of the file is not read"));
            return;
        }
        // A chunk other than the last ends at a claim boundary inside a transaction set: nothing is missing there.
        if (_inClaim) _out.Add(_claim.Finish(incomplete: _endsFile && _envelope.InTransaction));
        if (_endsFile) _envelope.End(_segments.Number, _problem);
    }

    private void Take(int number, ReadOnlySpan<byte> segment, X12Delimiters d)
    {
        var id = X12Segments.Id(segment, d.Element);
        if (X12Envelope.IsEnvelopeId(id))
        {
            FinishClaim();
            _envelope.Step(number, id, segment, d.Element, _problem);
            return;
        }
        _envelope.Count();
        switch (id)
        {
            case [(byte)'C', (byte)'L', (byte)'M']:
                FinishClaim();
                ClaimsRead++;
                _claim.Start(number, segment, d, _envelope.Kind, orphan: !_envelope.InTransaction);
                _inClaim = true;
                return;
            case [(byte)'H', (byte)'L']:
                FinishClaim();
                return;
            case [(byte)'L', (byte)'X']:
                if (_inClaim)
                {
                    ServiceLinesRead++;
                    _claim.AddLine(number);
                }
                else OutsideClaim(number, "LX");
                return;
            case [(byte)'S', (byte)'V', (byte)'1' or (byte)'2']:
                if (_inClaim) _claim.Service(number, id[2] == (byte)'1', segment, d);
                else OutsideClaim(number, id[2] == (byte)'1' ? "SV1" : "SV2");
                return;
            case [(byte)'D', (byte)'T', (byte)'P']:
                if (_inClaim) _claim.Date(number, segment, d);
                return;
            default:
                if (!_inClaim && !_envelope.InTransaction)
                    _problem(number, $"segment {number} {X12Text.Code(id, 3)}: outside any transaction set (not between ST and SE); not read");
                return;
        }
    }

    /// <summary>Service-line data with no claim to hold it is reported, never dropped (other loops' segments are not claims).</summary>
    private void OutsideClaim(int number, string id)
    {
        if (!_envelope.InTransaction)
            _problem(number, $"segment {number} {id}: outside any transaction set (not between ST and SE); not read");
        else if (_envelope.Kind is X12Kind.Professional or X12Kind.Institutional)
            _problem(number, $"segment {number} {id}: a service line outside any claim (no CLM before it in its hierarchy level); not read");
    }

    private void FinishClaim()
    {
        if (!_inClaim) return;
        _out.Add(_claim.Finish(incomplete: false));
        _inClaim = false;
    }
}
