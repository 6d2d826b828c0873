using ChatOps.Integrations.Coordination;
using ChatOps.Integrations.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Workflows;

internal static class WorkflowsServiceCollectionExtensions
{
    /// <summary>
    /// Runs (<c>Workflows:*</c>): their store, locks and leases, the workflows that carry them out, their one
    /// message, the engine that moves them through their states, recovery after a crash, and the expiry of
    /// unanswered confirmations. Compute providers and the load balancer are the host's to add; the kinds of run
    /// are the <see cref="RunKind"/>s the commands register.
    /// </summary>
    public static IServiceCollection AddWorkflows(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddReplicas();
        services.AddStateSchema<WorkflowSchema>();
        services.AddOptions<WorkflowOptions>().BindConfiguration(WorkflowOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WorkflowOptions>, WorkflowOptionsValidator>());

        services.TryAddSingleton<RunStore>();
        services.TryAddSingleton<LockStore>();
        services.TryAddSingleton<ComputeProviders>();
        services.TryAddSingleton<LoadBalancerReadiness>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWorkflow, ProviderWorkflow>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWorkflow, LoadBalancerWorkflow>());
        services.TryAddSingleton<WorkflowRegistry>();
        services.TryAddSingleton(sp => new RunKinds(sp.GetServices<RunKind>()));
        services.TryAddSingleton<RunMessages>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRunObserver, DeploymentAnnouncer>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRunObserver, RunMeter>());
        services.TryAddSingleton<RunObservers>();

        // Order matters: recovery reconciles and opens the readiness gate before the engine or anything else acts.
        services.AddHostedService<RunRecovery>();
        services.TryAddSingleton<WorkflowEngine>();
        services.AddHostedService(sp => sp.GetRequiredService<WorkflowEngine>());
        services.AddHostedService<RunExpiry>();
        return services;
    }
}
