using System.Text.Json;
using CodePairs.Rules;

namespace CodePairs.Functions.Http;

/// <summary>
/// One claim's JSON to a <see cref="Claim"/>: the <see cref="ClaimJsonReader"/> fast path, and for anything it declines
/// the reference path (the serializer into <see cref="ClaimInput"/>, then <see cref="ClaimParser"/>), which words every
/// problem as the API always has.
/// </summary>
public static class ClaimDecoder
{
    public static DecodedClaim Decode(ReadOnlySpan<byte> json, int maxLines, bool inBatch = false)
        => ClaimJsonReader.TryRead(json, maxLines, out var claim) ? new DecodedClaim(claim, claim!.ClaimId, null, null, null) : Reference(json, maxLines, inBatch);

    /// <summary>The serializer path alone (what the API did before the fast path; the fast path must agree with it).</summary>
    public static DecodedClaim Reference(ReadOnlySpan<byte> json, int maxLines, bool inBatch = false)
    {
        ClaimInput? input;
        try
        {
            input = JsonSerializer.Deserialize<ClaimInput>(JsonProblem.WithoutBom(json), JsonBody.Options);
        }
        catch (JsonException e)
        {
            // Where the JSON breaks, or which field does not fit: never the body's content, never a .NET type.
            return new DecodedClaim(null, null, "Malformed JSON",
                (inBatch ? "The claim is not valid JSON for this request: " : "The body is not valid JSON for this request: ")
                + JsonProblem.Describe(e, typeof(ClaimInput), JsonBody.Options), null);
        }
        if (input is null) return new DecodedClaim(null, null, "Empty body", inBatch ? "The claim is null." : "The JSON body is null.", null);
        var (claim, errors) = ClaimParser.Parse(input, maxLines: maxLines);
        return claim is not null
            ? new DecodedClaim(claim, claim.ClaimId, null, null, null)
            : new DecodedClaim(null, input.ClaimId is { Length: <= ClaimLimits.MaxClaimIdLength } id ? id : null, "Invalid claim",
                $"The claim has {errors.Count} problem(s); see errors.", errors);
    }
}
