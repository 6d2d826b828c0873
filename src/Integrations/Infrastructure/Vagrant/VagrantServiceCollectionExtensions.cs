using ChatOps.Integrations.Infrastructure.Processes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Infrastructure.Vagrant;

public static class VagrantServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <c>Vagrant</c> compute provider: global settings from <c>Vagrant</c>, each
    /// environment's folder from <c>Environments:{env}:Vagrant</c> (named options, the name is the environment).
    /// </summary>
    public static IServiceCollection AddVagrantProvider(this IServiceCollection services)
    {
        services.AddProcessLauncher();
        services.AddOptions<VagrantOptions>().BindConfiguration(VagrantOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<VagrantOptions>, VagrantOptionsValidator>());
        services.AddOptions<VagrantEnvironmentOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<VagrantEnvironmentOptions>, BindFromEnvironmentSection>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<VagrantEnvironmentOptions>, VagrantEnvironmentOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IComputeProvider, VagrantComputeProvider>());
        return services;
    }

    private sealed class BindFromEnvironmentSection(IConfiguration configuration) : IConfigureNamedOptions<VagrantEnvironmentOptions>
    {
        public void Configure(string? name, VagrantEnvironmentOptions options)
        {
            if (!string.IsNullOrEmpty(name))
            {
                configuration.GetSection($"Environments:{name}:Vagrant").Bind(options);
            }
        }

        public void Configure(VagrantEnvironmentOptions options) => Configure(Options.DefaultName, options);
    }
}
