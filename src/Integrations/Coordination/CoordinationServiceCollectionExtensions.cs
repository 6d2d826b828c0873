using ChatOps.Integrations.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Coordination;

public static class CoordinationServiceCollectionExtensions
{
    /// <summary>
    /// Makes this process one replica among those sharing the state store (<c>Replicas:*</c>): its identity, its
    /// heartbeat, the schedule leases and the count of live replicas (<see cref="LiveReplicas"/>). Every feature that
    /// holds work calls it; the first call places the heartbeat among the hosted services, so call it before
    /// registering those that hold work (after the state store).
    /// </summary>
    public static IServiceCollection AddReplicas(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddStateStore();
        services.AddStateSchema<CoordinationSchema>();
        services.AddOptions<ReplicaOptions>().BindConfiguration(ReplicaOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReplicaOptions>, ReplicaOptionsDataValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReplicaOptions>, ReplicaOptionsValidator>());
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ReplicaOptions>>().Value;
            return new ReplicaIdentity(string.IsNullOrWhiteSpace(options.Name) ? ReplicaIdentity.DefaultName() : options.Name, options.DeadAfter)
            {
                ClockTolerance = options.ClockTolerance,
                Settings = sp.GetService<IConfiguration>() is { } configuration ? ReplicaSettings.Encode(configuration) : null,
            };
        });
        services.TryAddSingleton(sp => new LiveReplicas(sp.GetRequiredService<ReplicaIdentity>()));
        services.TryAddSingleton<ReplicaStore>();
        services.TryAddSingleton<ScheduleLeaseStore>();
        services.TryAddSingleton<ScheduleOwnership>();
        services.TryAddSingleton<IScheduleOwnership>(sp => sp.GetRequiredService<ScheduleOwnership>());
        services.TryAddSingleton<ReplicaHeartbeat>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ReplicaHeartbeat>(sp => sp.GetRequiredService<ReplicaHeartbeat>()));
        if (services.All(d => d.ServiceType != typeof(ReplicaSettingsHealthCheck)))
        {
            services.AddSingleton<ReplicaSettingsHealthCheck>();
            services.AddHealthChecks().AddCheck<ReplicaSettingsHealthCheck>(ReplicaSettingsHealthCheck.Name);
        }

        if (services.All(d => d.ServiceType != typeof(ReplicaClockHealthCheck)))
        {
            services.AddSingleton<ReplicaClockHealthCheck>();
            services.AddHealthChecks().AddCheck<ReplicaClockHealthCheck>(ReplicaClockHealthCheck.Name);
        }

        return services;
    }
}
