using CodePairs.Rules.Batch;

namespace CodePairs.Rules.X12;

/// <summary>One chunk of an 837 file: a byte range that starts at a CLM (or at the file's start) and holds whole claims.</summary>
/// <param name="Length">Bytes in the range.</param>
/// <param name="FirstSegment">The number of the range's first segment.</param>
/// <param name="Claims">CLM segments in the range (what its reader will count as claims in).</param>
/// <param name="Start">Where the range starts inside the envelopes; null for the first chunk.</param>
public sealed record X12Chunk(long Offset, long Length, int FirstSegment, long Claims, X12Resume? Start);

/// <summary>
/// Cuts an 837 file into chunks of about <c>chunkBytes</c> in one streaming pass. A cut falls only right before a CLM
/// inside a transaction set, so every claim is whole in one chunk; the envelope state there (delimiters, open
/// ISA/GS/ST, their counts so far) goes with the chunk, so a chunk reads exactly as the same segments would in the
/// whole file, envelope checks included. Problems are not reported here: the chunks' readers report them.
/// </summary>
public static class X12ChunkPlanner
{
    public static IReadOnlyList<X12Chunk> Plan(Stream input, long chunkBytes, CancellationToken cancellationToken = default)
    {
        var segments = new X12Segments(input, null);
        var envelope = new X12Envelope();
        var chunks = new List<X12Chunk>();
        long start = 0, claims = 0, target = chunkBytes;
        var first = 1;
        X12Resume? resume = null;
        try
        {
            while (segments.MoveNext())
            {
                if ((segments.Number & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
                var segment = segments.Segment;
                var d = segments.Delimiters;
                var id = X12Segments.Id(segment, d.Element);
                if (X12Envelope.IsEnvelopeId(id))
                {
                    envelope.Step(segments.Number, id, segment, d.Element, null);
                    continue;
                }
                if (id.SequenceEqual("CLM"u8))
                {
                    if (envelope.InTransaction && segments.Start >= target && segments.Start > start)
                    {
                        chunks.Add(new X12Chunk(start, segments.Start - start, first, claims, resume));
                        resume = new X12Resume(d.Encode(), segments.Number, envelope.Save());
                        (start, first, claims, target) = (segments.Start, segments.Number, 0, segments.Start + chunkBytes);
                    }
                    claims++;
                }
                envelope.Count();
            }
        }
        catch (X12SyntaxException e) when (e.Segment > 1)
        {
            // The reader of the last chunk stops at the same place and reports it; the chunk runs to the end.
        }
        catch (X12SyntaxException e)
        {
            throw new BatchFileException($"segment {e.Segment}: {e.Message}");
        }
        chunks.Add(new X12Chunk(start, -1, first, claims, resume));
        return chunks;
    }
}
