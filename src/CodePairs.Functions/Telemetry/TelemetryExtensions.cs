using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry;

// In the Hosting namespace (as eShop does with its builder extensions) so Program.cs needs no extra using.
namespace Microsoft.Extensions.Hosting;

/// <summary>
/// OpenTelemetry for the isolated worker (host.json sets <c>"telemetryMode": "OpenTelemetry"</c> for the host side).
/// Exports to Azure Monitor only when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set (in Azure): the worker's
/// own log lines (with their trace ids) go there through the exporter. Locally, with no connection string, no exporter
/// is registered and nothing fails; in OpenTelemetry mode the host does not relay the worker's logs, so the worker
/// writes them to its console (one line each, which <c>func start</c> shows) — otherwise an operator would see only the
/// host's lines, and a 500's trace id in no log at all (issue 11, defect 4).
/// </summary>
public static class TelemetryExtensions
{
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string AuthenticationStringSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    public static IHostApplicationBuilder AddCodePairsTelemetry(this IHostApplicationBuilder builder)
    {
        var otel = builder.Services.AddOpenTelemetry().UseFunctionsWorkerDefaults();

        var connectionString = builder.Configuration[ConnectionStringSetting];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
            // The Azure SDK forwards every storage request at Information: only its warnings are worth a console line.
            builder.Logging.AddFilter<ConsoleLoggerProvider>("Azure", LogLevel.Warning);
            return builder;
        }

        var credential = CredentialFor(builder.Configuration[AuthenticationStringSetting]);
        otel.UseAzureMonitorExporter(options =>
        {
            options.ConnectionString = connectionString;
            // Sampling is decided here, not in host.json (its applicationInsights block does not apply in
            // OpenTelemetry mode): at most 5 traces per second keeps batch bursts affordable while a partner's
            // low request rate is kept whole; logs are not sampled with their trace, so warnings and errors always
            // arrive (their volume is bounded by host.json log levels instead).
            options.TracesPerSecond = 5;
            options.EnableTraceBasedLogsSampler = false;
            if (credential is not null)
            {
                options.Credential = credential;
            }
        });
        return builder;
    }

    /// <summary>
    /// The credential that <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> names: <c>Authorization=AAD</c> with an
    /// optional <c>ClientId=</c> (a user-assigned identity; without it the system-assigned one). Null when it asks
    /// for no Entra ID authentication (then the component must accept its connection string alone).
    /// </summary>
    public static TokenCredential? CredentialFor(string? authenticationString)
    {
        if (string.IsNullOrWhiteSpace(authenticationString))
        {
            return null;
        }

        var parts = authenticationString
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2, StringSplitOptions.TrimEntries))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.OrdinalIgnoreCase);

        if (!parts.TryGetValue("Authorization", out var authorization)
            || !string.Equals(authorization, "AAD", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return parts.TryGetValue("ClientId", out var clientId) && !string.IsNullOrEmpty(clientId)
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);
    }
}
