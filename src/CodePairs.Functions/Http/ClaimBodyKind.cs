namespace CodePairs.Functions.Http;

/// <summary>How the claims of a request body are laid out.</summary>
public enum ClaimBodyKind
{
    /// <summary>One claim object (application/json): the single-claim contract.</summary>
    Single,
    /// <summary>A JSON array of claim objects (application/json).</summary>
    Array,
    /// <summary>One claim object a line (application/x-ndjson).</summary>
    Lines,
}
