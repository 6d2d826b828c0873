using ChatOps.Integrations.Infrastructure.Processes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Infrastructure.HaProxy;

public static class HaProxyServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="HaProxyLoadBalancer"/> as the <see cref="ILoadBalancer"/>, bound from
    /// <c>HaProxy</c>; a relative state directory is resolved against the content root.
    /// </summary>
    public static IServiceCollection AddHaProxy(this IServiceCollection services)
    {
        services.AddProcessLauncher();
        services.AddOptions<HaProxyOptions>()
            .BindConfiguration(HaProxyOptions.SectionName)
            .PostConfigure<IHostEnvironment>((o, host) => o.StateDirectory = Path.GetFullPath(o.StateDirectory, host.ContentRootPath))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HaProxyOptions>, HaProxyOptionsValidator>());
        services.TryAddSingleton<HaProxyRuntimeClient>();
        services.TryAddSingleton<HaProxyProcess>();
        services.TryAddSingleton<HaProxyLoadBalancer>();
        services.TryAddSingleton<ILoadBalancer>(sp => sp.GetRequiredService<HaProxyLoadBalancer>());
        return services;
    }
}
