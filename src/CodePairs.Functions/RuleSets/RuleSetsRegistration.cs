using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CodePairs.Functions.RuleSets;

public static class RuleSetsRegistration
{
    public static IServiceCollection AddCodePairsRuleSets(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RulesOptions>().BindConfiguration(RulesOptions.Section);
        services.AddSingleton<IRuleSetSource, StorageRuleSetSource>();
        services.AddSingleton<RuleSetCache>();
        services.AddSingleton<IActiveRules>(sp => sp.GetRequiredService<RuleSetCache>());
        services.AddHostedService<RuleSetWarmup>();
        return services;
    }
}
