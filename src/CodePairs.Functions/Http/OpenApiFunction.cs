using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace CodePairs.Functions.Http;

/// <summary>GET /api/openapi.yaml (anonymous): the checked-in API description.</summary>
public sealed class OpenApiFunction
{
    private static readonly Lazy<byte[]> Document = new(() =>
    {
        using var stream = typeof(OpenApiFunction).Assembly.GetManifestResourceStream("CodePairs.Functions.openapi.yaml")
            ?? throw new InvalidOperationException("openapi.yaml is missing from the build");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    [Function("OpenApi")]
    public FileContentHttpResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.yaml")] HttpRequest request)
        => TypedResults.Bytes(Document.Value, "application/yaml");
}
