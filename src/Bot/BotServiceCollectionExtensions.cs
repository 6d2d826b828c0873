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
using ChatOps.Bot.Inbound.Slack;
using ChatOps.Bot.Watch;
using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Chat.Delivery;
using ChatOps.Integrations.Infrastructure.Command;
using ChatOps.Integrations.Infrastructure.HaProxy;
using ChatOps.Integrations.Infrastructure.Local;
using ChatOps.Integrations.Infrastructure.Processes;
using ChatOps.Integrations.Infrastructure.Vagrant;
using ChatOps.Integrations.Storage;
using ChatOps.Integrations.WebChat;
using ChatOps.Radiator;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot;

public static class BotServiceCollectionExtensions
{
    /// <summary>Everything the chat-ops host needs, on its embedded defaults unless configured otherwise.</summary>
    public static IServiceCollection AddBot(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddHostDefaults();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        services.AddProblemResponses();

        services.AddStateStore()
            .AddStateSchema<WorkflowSchema>()
            .AddStateSchema<DecisionSchema>();
        services.AddAudit();
        services.AddWebChat();
        services.AddHttpAccess();
        services.AddRadiator();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRunObserver, DeploymentAnnouncer>());
        services.AddSlackInbound(configuration);
        services.AddChatOutbox();
        services.AddLocalProvider(UseOwnBinaryAsNode);
        services.AddProcessLauncher();
        services.AddCommandProvider();
        services.AddVagrantProvider();
        services.AddHaProxy();
        services.TryAddSingleton<LoadBalancerReadiness>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWorkflow, ProviderWorkflow>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWorkflow, LoadBalancerWorkflow>());
        services.AddSingleton<WorkflowRegistry>();

        services.AddOptions<EnvironmentsOptions>()
            .Configure<IConfiguration>((o, config) => config.GetSection(EnvironmentsOptions.SectionName).Bind(o.Environments))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EnvironmentsOptions>, EnvironmentsOptionsValidator>());
        services.AddOptions<WorkflowOptions>().BindConfiguration(WorkflowOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WorkflowOptions>, WorkflowOptionsValidator>());
        services.AddOptions<IdentityOptions>().BindConfiguration(IdentityOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IdentityOptions>, IdentityOptionsValidator>());

        services.AddSingleton<EnvironmentCatalog>();
        services.AddSingleton<EnvironmentSnapshots>();
        services.AddSingleton<PrincipalResolver>();
        services.AddSingleton<PermissionPolicy>();
        services.AddSingleton<RunStore>();
        services.AddSingleton<LockStore>();
        services.AddSingleton<DecisionStore>();
        services.AddSingleton<Approvers>();
        services.AddSingleton<DecisionAnswers>();
        services.AddSingleton<Clarifications>();
        services.AddSingleton<CommandOffers>();
        services.AddSingleton<ComputeProviders>();
        services.AddSingleton<ReadinessGate>();
        services.TryAddSingleton<ChatReplies>();
        services.AddSingleton<RunMessages>();
        services.AddSingleton<RunObservers>();
        services.AddSingleton<ButtonOrigins>();
        services.AddSingleton<CommandButtons>();
        services.AddSingleton<ChatDispatcher>();
        services.AddCommands();

        // Order matters: recovery reconciles and opens the gate before anything else acts.
        services.AddHostedService<RunRecovery>();
        services.AddSingleton<WorkflowEngine>();
        services.AddHostedService(sp => sp.GetRequiredService<WorkflowEngine>());
        services.AddInbound();
        services.AddHostedService<RunExpiry>();
        services.AddDriftWatch();

        services.AddHealthChecks().AddCheck<ReadinessHealthCheck>("ready");
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
        app.MapReadApi();
        return app;
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

    private sealed class ReadinessHealthCheck(ReadinessGate readiness) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(readiness.IsReady ? HealthCheckResult.Healthy("ready") : HealthCheckResult.Unhealthy("recovering runs after start-up"));
    }
}
