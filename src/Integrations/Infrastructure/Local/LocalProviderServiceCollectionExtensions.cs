using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Infrastructure.Local;

public static class LocalProviderServiceCollectionExtensions
{
    /// <summary>Registers the Local provider; <paramref name="nodeCommand"/> supplies the default node program.</summary>
    public static IServiceCollection AddLocalProvider(this IServiceCollection services, Action<LocalProviderOptions>? nodeCommand = null)
    {
        var options = services.AddOptions<LocalProviderOptions>().BindConfiguration(LocalProviderOptions.SectionName).ValidateOnStart();
        if (nodeCommand is not null)
        {
            options.PostConfigure(o =>
            {
                if (string.IsNullOrEmpty(o.NodeProgram))
                {
                    nodeCommand(o);
                }
            });
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LocalProviderOptions>, LocalProviderOptionsValidator>());
        services.AddHttpClient(LocalComputeProvider.HttpClientName);
        services.TryAddSingleton<LocalComputeProvider>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IComputeProvider, LocalComputeProvider>(sp => sp.GetRequiredService<LocalComputeProvider>()));
        return services;
    }
}
