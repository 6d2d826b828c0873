using System.Text.Json;
using System.Text.Json.Serialization;
using ChatOps.Bot.Access;
using ChatOps.Bot.Api;
using ChatOps.Bot.Audit;
using ChatOps.Bot.Commands;
using ChatOps.Bot.Conversations;
using ChatOps.Bot.Environments;
using ChatOps.Bot.HostDefaults;
using ChatOps.Bot.Hosting;
using ChatOps.Bot.Identity;
using ChatOps.Bot.Inbound;
using ChatOps.Bot.Inbound.Discord;
using ChatOps.Bot.Inbound.Slack;
using ChatOps.Bot.Inbound.Teams;
using ChatOps.Bot.Watch;
using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Chat.Outbox;
using ChatOps.Integrations.Coordination;
using ChatOps.Integrations.Infrastructure.Command;
using ChatOps.Integrations.Infrastructure.HaProxy;
using ChatOps.Integrations.Infrastructure.Local;
using ChatOps.Integrations.Infrastructure.Processes;
using ChatOps.Integrations.Infrastructure.Vagrant;
using ChatOps.Integrations.Storage;
using ChatOps.Integrations.Teams;
using ChatOps.Integrations.WebChat;
using ChatOps.Radiator;

namespace ChatOps.Bot;

internal static class BotServiceCollectionExtensions
{
    /// <summary>
    /// Everything the chat-ops host needs, on its embedded defaults unless configured otherwise: each feature
    /// adds itself, and this list is the order they start in.
    /// </summary>
    public static IServiceCollection AddBot(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddHostDefaults();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        services.AddProblemResponses();
        services.AddReadiness();

        services.AddStateStore();
        // Before everything that holds work: the replica is registered and beating before any of it starts.
        services.AddReplicas();
        services.AddAudit();
        services.AddWebChat();
        services.AddHttpAccess();
        services.AddRadiator();
        services.AddSlackInbound(configuration);
        services.AddDiscordInbound(configuration);
        services.AddTeams();
        services.AddChatOutbox();
        AddInfrastructure(services);

        services.AddEnvironments();
        services.AddIdentity();
        services.AddConversations();
        services.AddCommands();
        // Runs before the inbox: recovery reconciles and opens the readiness gate before any command is handled.
        services.AddWorkflows();
        services.AddInbound();
        services.AddWatch();
        return services;
    }

    public static WebApplication MapBot(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseProblemResponses();
        app.UseHttpAccess();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.MapHostDefaults();
        app.MapWebChat();
        app.MapRadiator();
        app.MapSlack();
        app.MapDiscord();
        app.MapTeams();
        app.MapReadApi();
        return app;
    }

    /// <summary>The compute providers and the load balancer runs are carried out on.</summary>
    private static void AddInfrastructure(IServiceCollection services)
    {
        services.AddLocalProvider(UseOwnBinaryAsNode);
        services.AddProcessLauncher();
        services.AddCommandProvider();
        services.AddVagrantProvider();
        services.AddHaProxy();
    }

    /// <summary>Nodes are this same binary in <c>node</c> mode, started through the dotnet host.</summary>
    private static void UseOwnBinaryAsNode(LocalProviderOptions options)
    {
        var host = System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (string.IsNullOrEmpty(host) || !File.Exists(host))
        {
            var process = System.Environment.ProcessPath;
            host = process is not null && Path.GetFileNameWithoutExtension(process) == "dotnet" ? process : "dotnet";
        }

        options.NodeProgram = host;
        options.NodeArguments = [typeof(NodeHost).Assembly.Location, "node"];
    }
}
