using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CodePairs.Functions.Rules;

public static class RulesRegistration
{
    public static IServiceCollection AddCodePairsRules(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RulesOptions>().BindConfiguration(RulesOptions.Section);
        services.AddSingleton<IRuleSetSource, StorageRuleSetSource>();
        services.AddSingleton<RuleSetCache>();
        services.AddSingleton<IActiveRules>(sp => sp.GetRequiredService<RuleSetCache>());
        services.AddHostedService<RuleSetWarmup>();
        return services;
    }
}
