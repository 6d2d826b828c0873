using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Identity;

internal static class IdentityServiceCollectionExtensions
{
    /// <summary>Who is asking (<c>Identity:*</c>): people resolved to principals, and what each may do.</summary>
    public static IServiceCollection AddIdentity(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<IdentityOptions>().BindConfiguration(IdentityOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IdentityOptions>, IdentityOptionsValidator>());
        services.TryAddSingleton<PrincipalResolver>();
        services.TryAddSingleton<PermissionPolicy>();
        return services;
    }
}
