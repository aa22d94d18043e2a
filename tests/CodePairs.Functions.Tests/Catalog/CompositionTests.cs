using System.Reflection;
using CodePairs.Functions.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CodePairs.Functions.Tests.Catalog;

/// <summary>Builds the services the way Program.cs does and creates every function class from them, as the worker would.</summary>
public class CompositionTests
{
    [Fact]
    public void EveryFunctionClassResolvesFromTheWorkersRegistrations()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CodePairsStorage"] = "UseDevelopmentStorage=true",
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
        });
        builder.Services.AddCodePairs(builder.Configuration);
        builder.AddCodePairsTelemetry();
        using var host = builder.Build();

        var functionTypes = typeof(ClaimFunctions).Assembly.GetTypes()
            .Where(t => t.GetMethods().Any(m => m.GetCustomAttribute<FunctionAttribute>() is not null))
            .ToArray();
        Assert.True(functionTypes.Length >= 6, $"found only {functionTypes.Length} function classes");
        using var scope = host.Services.CreateScope();
        foreach (var type in functionTypes)
            Assert.NotNull(ActivatorUtilities.CreateInstance(scope.ServiceProvider, type));
    }
}
