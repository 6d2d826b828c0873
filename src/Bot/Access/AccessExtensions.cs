using ChatOps.Integrations.WebChat;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Access;

internal static class AccessExtensions
{
    /// <summary>Checks at start-up that a host reachable beyond loopback has a token.</summary>
    public static IServiceCollection AddHttpAccess(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebChatOptions>, ListenAccessValidator>());
        return services;
    }

    /// <summary>
    /// Host check, then cross-site check, then the token rule; before static files and endpoints, so nothing
    /// else sees a request these refuse.
    /// </summary>
    public static IApplicationBuilder UseHttpAccess(this IApplicationBuilder app)
    {
        app.UseMiddleware<HostCheck>();
        app.UseMiddleware<CrossOriginCheck>();
        app.UseMiddleware<ApiAccess>();
        return app;
    }
}
