using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace CodePairs.Infra.Tests;

/// <summary>
/// infra/main.bicep compiled by the Bicep CLI restored from NuGet (offline), flattened: every resource of the main
/// template and of every nested module deployment, with the parameter values the parent passed to that module.
/// Compiled once per test run into a temporary file, so a stale artifacts/ copy can never hide a change.
/// </summary>
public sealed class CompiledTemplate
{
    public CompiledTemplate()
    {
        RepositoryRoot = FindRepositoryRoot();
        var output = Path.Combine(Path.GetTempPath(), $"codepairs-main-{Guid.NewGuid():N}.json");
        try
        {
            Compile(Path.Combine(RepositoryRoot, "infra", "main.bicep"), output);
            Text = File.ReadAllText(output);
        }
        finally
        {
            File.Delete(output);
        }

        Root = JsonDocument.Parse(Text).RootElement.Clone();
        var resources = new List<TemplateResource>();
        Collect(Root, "main", null, resources);
        Resources = resources;
    }

    public string RepositoryRoot { get; }

    public string Text { get; }

    public JsonElement Root { get; }

    public IReadOnlyList<TemplateResource> Resources { get; }

    public IReadOnlyList<TemplateResource> OfType(string type)
        => Resources.Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>The nested deployment (module) with this deployment name, as the main template declares it.</summary>
    public TemplateResource Module(string name)
        => OfType("Microsoft.Resources/deployments").Single(r => r.Name == name);

    private static void Collect(JsonElement template, string module, JsonElement? moduleParameters, List<TemplateResource> into)
    {
        if (!template.TryGetProperty("resources", out var resources))
        {
            return;
        }

        // languageVersion 2.0 templates hold resources in an object keyed by symbolic name.
        var items = resources.ValueKind == JsonValueKind.Object
            ? resources.EnumerateObject().Select(p => p.Value)
            : resources.EnumerateArray();
        foreach (var resource in items)
        {
            var item = new TemplateResource(resource, module, moduleParameters);
            into.Add(item);
            if (item.Type == "Microsoft.Resources/deployments"
                && resource.GetProperty("properties").TryGetProperty("template", out var nested))
            {
                resource.GetProperty("properties").TryGetProperty("parameters", out var passed);
                Collect(nested, item.Name, passed, into);
            }
        }
    }

    private static void Compile(string bicepFile, string outFile)
    {
        var bicep = typeof(CompiledTemplate).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "BicepPath").Value!;
        Assert.True(File.Exists(bicep), $"Bicep CLI not found at {bicep}: run `dotnet restore` (it comes from NuGet).");
        var start = new ProcessStartInfo(bicep)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "build", bicepFile, "--outfile", outFile })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "bicep build did not finish in 2 minutes");
        Assert.True(process.ExitCode == 0, $"bicep build failed ({process.ExitCode}):\n{stdout}\n{stderr.Result}");
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "infra", "main.bicep")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("infra/main.bicep not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>One resource of the compiled template; <see cref="Module"/> is the deployment that declares it.</summary>
public sealed class TemplateResource(JsonElement element, string module, JsonElement? moduleParameters)
{
    public JsonElement Element { get; } = element;

    public string Module { get; } = module;

    public string Type { get; } = element.GetProperty("type").GetString()!;

    public string Name { get; } = element.GetProperty("name").GetString()!;

    public JsonElement Properties => Element.GetProperty("properties");

    public string? Scope => Element.TryGetProperty("scope", out var scope) ? scope.GetString() : null;

    /// <summary>The value the parent template passed for a parameter of the module declaring this resource.</summary>
    public JsonElement? ModuleParameter(string name)
        => moduleParameters is { } p && p.TryGetProperty(name, out var v) && v.TryGetProperty("value", out var value) ? value : null;

    /// <summary>For a module (nested deployment): the value it is given for one of its parameters, as text.</summary>
    public string ModuleParameterOf(string name)
    {
        if (!Properties.TryGetProperty("parameters", out var parameters) || !parameters.TryGetProperty(name, out var parameter))
        {
            throw new Xunit.Sdk.XunitException($"module {Name} is given no '{name}'");
        }

        var value = parameter.GetProperty("value");
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
    }

    public string String(params string[] path)
    {
        var current = Element;
        foreach (var step in path)
        {
            Assert.True(current.TryGetProperty(step, out current), $"{Type} {Name}: no '{string.Join('.', path)}'");
        }

        return current.ValueKind == JsonValueKind.String ? current.GetString()! : current.GetRawText();
    }
}
