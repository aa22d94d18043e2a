using CodePairs.Functions.Batches;
using CodePairs.Functions.Http;
using CodePairs.Functions.Refresh;
using CodePairs.Functions.RuleSets;
using CodePairs.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CodePairs.Functions;

public static class ServiceRegistration
{
    /// <summary>How responses are written: web defaults, nulls omitted, source-generated metadata first.</summary>
    public static void ConfigureJson(Microsoft.AspNetCore.Http.Json.JsonOptions o)
    {
        o.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
        o.SerializerOptions.TypeInfoResolverChain.Insert(0, CodePairsJson.Default);
    }

    /// <summary>Everything the functions need, in one call from Program.cs.</summary>
    public static IServiceCollection AddCodePairs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section);
        services.ConfigureHttpJsonOptions(ConfigureJson);
        services.AddCodePairsStorage(configuration);
        services.AddCodePairsRuleSets(configuration);
        services.AddCodePairsRefresh(configuration);
        services.AddCodePairsBatches(configuration);
        return services;
    }
}
