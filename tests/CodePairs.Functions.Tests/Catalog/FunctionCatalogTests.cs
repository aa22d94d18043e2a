using System.Reflection;
using System.Text.Json;
using CodePairs.Functions.Http;
using Microsoft.Azure.Functions.Worker;

namespace CodePairs.Functions.Tests.Catalog;

/// <summary>The host cannot run here, so these read what the build generates for it and what the functions declare.</summary>
public class FunctionCatalogTests
{
    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Functions.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository root");
    }

    /// <summary>Every HTTP function: (name, methods, route with the host's api/ prefix).</summary>
    internal static IReadOnlyList<(string Name, string[] Methods, string Route, AuthorizationLevel Level)> HttpFunctions() =>
        typeof(ClaimFunctions).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Select(m => (m, f: m.GetCustomAttribute<FunctionAttribute>()))
            .Where(x => x.f is not null)
            .SelectMany(x => x.m.GetParameters()
                .Select(p => p.GetCustomAttribute<HttpTriggerAttribute>())
                .Where(t => t is not null)
                .Select(t => (x.f!.Name, t!.Methods ?? [], "api/" + t.Route, t.AuthLevel)))
            .ToArray();

    [Fact]
    public void GeneratedMetadataListsEveryFunctionWithItsTriggerAndRoute()
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/") ? "Release" : "Debug";
        var path = Path.Combine(RepoRoot(), "src", "CodePairs.Functions", "bin", configuration, "net10.0", "functions.metadata");
        Assert.True(File.Exists(path), $"the build did not generate {path}");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var functions = doc.RootElement.EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        foreach (var (name, methods, route, _) in HttpFunctions())
        {
            Assert.True(functions.TryGetValue(name, out var f), $"{name} is missing from functions.metadata");
            var trigger = f.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("direction").GetString() == "In");
            Assert.Equal("httpTrigger", trigger.GetProperty("type").GetString(), ignoreCase: true);
            Assert.Equal(route["api/".Length..], trigger.GetProperty("route").GetString());
            Assert.Equal(methods.Order(), trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!).Order());
        }
        Assert.Equal(HttpFunctions().Select(f => f.Name).Order(), functions.Keys.Where(k => HttpFunctions().Any(f => f.Name == k)).Order());
    }

    [Fact]
    public void OpenApiDocumentsEveryRouteAndMethod()
    {
        var yaml = File.ReadAllText(Path.Combine(RepoRoot(), "openapi.yaml"));
        foreach (var (name, methods, route, _) in HttpFunctions())
        {
            var path = "/" + route + ":";
            var at = yaml.IndexOf("\n  " + path + "\n", StringComparison.Ordinal);
            Assert.True(at >= 0, $"openapi.yaml does not document {path} (function {name})");
            var next = yaml.IndexOf("\n  /", at + 3, StringComparison.Ordinal);
            var block = yaml[at..(next < 0 ? yaml.IndexOf("\ncomponents:", StringComparison.Ordinal) : next)];
            foreach (var method in methods)
                Assert.True(block.Contains($"\n    {method}:", StringComparison.Ordinal), $"openapi.yaml does not document {method.ToUpperInvariant()} {path[..^1]}");
        }
    }

    [Fact]
    public void PartnerRoutesNeedAFunctionKeyAndOnlyHealthAndOpenApiAreAnonymous()
    {
        foreach (var (name, _, route, level) in HttpFunctions())
        {
            if (route is "api/health" or "api/openapi.yaml") Assert.Equal(AuthorizationLevel.Anonymous, level);
            else Assert.True(level >= AuthorizationLevel.Function, $"{name} must not be anonymous");
        }
    }
}
