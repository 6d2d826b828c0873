using ChatOps.Integrations.Infrastructure.Processes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Infrastructure.Command;

public static class CommandServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <c>Command</c> compute provider. Each environment's settings bind from
    /// <c>Environments:{env}:Command</c> as named options (the name is the environment).
    /// </summary>
    public static IServiceCollection AddCommandProvider(this IServiceCollection services)
    {
        services.AddProcessLauncher();
        services.AddOptions<CommandProviderOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<CommandProviderOptions>, BindFromEnvironmentSection>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CommandProviderOptions>, CommandProviderOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IComputeProvider, CommandComputeProvider>());
        return services;
    }

    private sealed class BindFromEnvironmentSection(IConfiguration configuration) : IConfigureNamedOptions<CommandProviderOptions>
    {
        public void Configure(string? name, CommandProviderOptions options)
        {
            if (!string.IsNullOrEmpty(name))
            {
                configuration.GetSection($"{CommandProviderOptions.SectionName}:{name}:Command").Bind(options);
            }
        }

        public void Configure(CommandProviderOptions options) => Configure(Options.DefaultName, options);
    }
}
