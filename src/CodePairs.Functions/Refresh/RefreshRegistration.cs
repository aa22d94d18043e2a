using Azure.Storage.Blobs;
using CodePairs.Functions.RuleSets;
using CodePairs.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace CodePairs.Functions.Refresh;

public static class RefreshRegistration
{
    public static IServiceCollection AddCodePairsRefresh(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RefreshOptions>().BindConfiguration(RefreshOptions.Section);
        services.AddSingleton<IUrlSource>(sp => new UrlSource(
            () => sp.GetRequiredService<IHttpClientFactory>().CreateClient(UrlSource.HttpClientName),
            sp.GetRequiredService<BlobServiceClient>(), sp.GetRequiredService<IOptions<RefreshOptions>>().Value.MaxDownloadBytes));
        services.AddSingleton(sp => new RefreshStores(
            sp.GetRequiredService<RulePublisher>(),
            sp.GetRequiredService<ICheckpointStore>(),
            sp.GetRequiredService<IRefreshJobRow>(),
            sp.GetRequiredService<IDropSource>(),
            sp.GetRequiredService<IReleaseFiles>(),
            sp.GetRequiredService<IUrlSource>()));
        services.AddSingleton(sp => new RefreshJob(sp.GetRequiredService<RefreshStores>(), sp.GetRequiredService<IOptions<RefreshOptions>>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System, sp.GetRequiredService<ILogger<RefreshJob>>(), sp.GetService<RuleSetCache>()));
        services.AddHttpClient(UrlSource.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .AddResilienceHandler("cms-downloads", (pipeline, context) =>
            {
                var o = context.ServiceProvider.GetRequiredService<IOptions<RefreshOptions>>().Value;
                // Retries with exponential backoff and jitter on 408, 429, 5xx and network failures; each attempt is
                // bounded, and so is the whole download.
                pipeline.AddTimeout(TimeSpan.FromSeconds(o.DownloadTimeoutSeconds * 4));
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 4,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromSeconds(2),
                });
                pipeline.AddTimeout(TimeSpan.FromSeconds(o.DownloadTimeoutSeconds));
            });
        return services;
    }
}
