using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Environments;

internal static class EnvironmentsServiceCollectionExtensions
{
    /// <summary>
    /// The configured environments (<c>Environments:*</c>), validated at start with every problem named. The verbs
    /// their policies speak of are the <see cref="VerbPolicy"/>s registered by the commands.
    /// </summary>
    public static IServiceCollection AddEnvironments(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<EnvironmentsOptions>()
            .Configure<IConfiguration>((o, config) => config.GetSection(EnvironmentsOptions.SectionName).Bind(o.Environments))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EnvironmentsOptions>, EnvironmentsOptionsValidator>());
        services.TryAddSingleton(sp => new VerbPolicies(sp.GetServices<VerbPolicy>()));
        services.TryAddSingleton<EnvironmentCatalog>();
        return services;
    }
}
