using Azure.Identity;
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
