using System.Diagnostics;
using Azure.Identity;
using CodePairs.Functions.Http;
using CodePairs.Functions.Tests.Http;
using Microsoft.Extensions.Logging.Console;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CodePairs.Functions.Tests;

public sealed class TelemetryTests
{
    [Fact]
    public async Task WithoutAConnectionStringTheHostStartsAndRegistersNoAzureMonitorExporter()
    {
        using var host = BuildHost(new Dictionary<string, string?>
        {
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "",
            ["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] = "",
        });

        // Starting the host builds the OpenTelemetry providers and runs every configuration callback; none may throw.
        await host.StartAsync(CancellationToken.None);
        _ = host.Services.GetService<TracerProvider>();
        _ = host.Services.GetService<MeterProvider>();
        host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("test").LogInformation("no exporter, no failure");
        await host.StopAsync(CancellationToken.None);

        Assert.Empty(host.Services.GetServices<IConfigureOptions<AzureMonitorExporterOptions>>());
    }

    [Fact]
    public void WithAConnectionStringTheAzureMonitorExporterIsConfiguredWithTheManagedIdentity()
    {
        using var host = BuildHost(new Dictionary<string, string?>
        {
            // A syntactically valid connection string for a component that does not exist; nothing is sent in a test.
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://127.0.0.1/",
            ["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] = "ClientId=11111111-1111-1111-1111-111111111111;Authorization=AAD",
        });

        Assert.NotEmpty(host.Services.GetServices<IConfigureOptions<AzureMonitorExporterOptions>>());
        var options = host.Services.GetRequiredService<IOptionsMonitor<AzureMonitorExporterOptions>>().Get(Options.DefaultName);
        Assert.Equal("InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://127.0.0.1/", options.ConnectionString);
        Assert.IsType<ManagedIdentityCredential>(options.Credential);
        Assert.False(options.EnableTraceBasedLogsSampler);
    }

    [Fact]
    public async Task LocallyA500sTraceIdReachesTheConsoleInTheWorkersOwnLogLine()
    {
        // The defect: with OpenTelemetry mode and no exporter only the host's lines showed; the trace id was in no log.
        var console = new StringWriter();
        var original = Console.Out;
        string body;
        Console.SetOut(console);
        try
        {
            using (var host = BuildHost(new Dictionary<string, string?> { ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "" }))
            {
                await host.StartAsync(CancellationToken.None);
                Assert.Contains(host.Services.GetServices<ILoggerProvider>(), p => p is ConsoleLoggerProvider);
                body = await Fail500(host.Services.GetRequiredService<ILogger<ProblemDetailsMiddleware>>());
                await host.StopAsync(CancellationToken.None);
            } // disposing the host flushes the console logger's queue
        }
        finally { Console.SetOut(original); }

        var traceId = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("traceId").GetString();
        Assert.Matches("^[0-9a-f]{32}$", traceId);
        var line = Assert.Single(console.ToString().Split('\n'), l => l.Contains("answered 500", StringComparison.Ordinal));
        Assert.Contains($"(trace {traceId})", line);
        Assert.DoesNotContain("secret", body);
    }

    [Fact]
    public void InAzureTheWorkersLogsGoToTheExporterNotTheConsole()
    {
        using var host = BuildHost(new Dictionary<string, string?>
        {
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://127.0.0.1/",
        });
        var providers = host.Services.GetServices<ILoggerProvider>().ToList();
        Assert.Contains(providers, p => p.GetType().Name == "OpenTelemetryLoggerProvider");
        Assert.DoesNotContain(providers, p => p is ConsoleLoggerProvider);
    }

    /// <summary>Runs the exception middleware around a failing HTTP function inside an activity, as the worker does; returns the 500's body.</summary>
    private static async Task<string> Fail500(ILogger<ProblemDetailsMiddleware> logger)
    {
        using var source = new ActivitySource("CodePairs.Tests.Telemetry");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == source.Name, Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var activity = source.StartActivity("Invoke");
        var request = HttpTestKit.Request("POST", "{}");
        var context = ProblemDetailsMiddlewareTests.Context(request.HttpContext);
        await new ProblemDetailsMiddleware(logger).Invoke(context.Object, _ => throw new InvalidOperationException("secret connection detail"));
        request.HttpContext.Response.Body.Position = 0;
        return await new StreamReader(request.HttpContext.Response.Body).ReadToEndAsync();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Authorization=None")]
    public void AnAuthenticationStringThatAsksForNoEntraIdGivesNoCredential(string? value)
        => Assert.Null(TelemetryExtensions.CredentialFor(value));

    [Theory]
    [InlineData("ClientId=11111111-1111-1111-1111-111111111111;Authorization=AAD")]
    [InlineData("Authorization=AAD")]
    [InlineData(" authorization = aad ; clientid = 11111111-1111-1111-1111-111111111111 ")]
    public void AnAadAuthenticationStringGivesAManagedIdentityCredential(string value)
        => Assert.IsType<ManagedIdentityCredential>(TelemetryExtensions.CredentialFor(value));

    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddCodePairsTelemetry();
        return builder.Build();
    }
}
