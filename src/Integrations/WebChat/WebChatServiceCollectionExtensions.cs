using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Storage;
using ChatOps.Integrations.Storage.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.WebChat;

public static class WebChatServiceCollectionExtensions
{
    public static IServiceCollection AddWebChat(this IServiceCollection services)
    {
        services.AddOptions<WebChatOptions>().BindConfiguration(WebChatOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebChatOptions>, WebChatOptionsValidator>());
        services.AddStateStore().AddStateSchema<WebChatSchema>();
        services.TryAddSingleton<WebChatFeed>();
        services.TryAddSingleton<WebChatStore>();
        services.TryAddSingleton<WebChatSender>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, WebChatTail>());
        // Another replica's post or edit wakes this replica's tail (PostgreSQL).
        services.AddStoreWakeup(WebChatStore.NotifyChannel, sp => sp.GetRequiredService<WebChatFeed>().Changed);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChatSender, WebChatSender>(sp => sp.GetRequiredService<WebChatSender>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChatLocalPoster, WebChatSender>(sp => sp.GetRequiredService<WebChatSender>()));
        services.TryAddSingleton<ChatSenders>();
        return services;
    }
}
