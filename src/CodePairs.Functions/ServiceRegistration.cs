using CodePairs.Functions.Http;
using CodePairs.Functions.Rules;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CodePairs.Functions;

public static class ServiceRegistration
{
    /// <summary>Everything the functions need, in one call from Program.cs.</summary>
    public static IServiceCollection AddCodePairs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section);
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
        });
        services.AddCodePairsRules(configuration);
        return services;
    }
}
