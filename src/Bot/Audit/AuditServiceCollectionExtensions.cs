using ChatOps.Integrations.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Audit;

internal static class AuditServiceCollectionExtensions
{
    /// <summary>The keyed audit trail, its key (from configuration or the key file), the head file and the head publisher.</summary>
    public static IServiceCollection AddAudit(this IServiceCollection services)
    {
        services.AddStateSchema<AuditSchema>();
        services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuditOptions>, AuditOptionsValidator>());
        services.TryAddSingleton(LoadKey);
        services.TryAddSingleton(sp => new AuditHeadLog(HeadFile(sp)));
        services.TryAddSingleton<AuditTrail>();
        services.AddHostedService<AuditHeadPublisher>();
        return services;
    }

    private static AuditKey LoadKey(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<AuditOptions>>().Value;
        if (!string.IsNullOrWhiteSpace(options.Key))
        {
            return AuditKey.FromText(options.Key, "Audit:Key (configuration or environment)");
        }

        var logger = services.GetRequiredService<ILogger<AuditTrail>>();
        var path = KeyFile(services, options);
        var key = AuditKey.LoadOrCreateFile(path, out var created);
        if (created)
        {
            Log.KeyCreated(logger, path);
        }
        else if (AuditKey.IsOpenToOthers(path))
        {
            Log.KeyFileOpen(logger, path);
        }

        return key;
    }

    private static string KeyFile(IServiceProvider services, AuditOptions options) =>
        Resolve(services, options.KeyFile) ?? Path.Combine(BesideDataFolder(services), "audit.key");

    private static string HeadFile(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<AuditOptions>>().Value;
        return Resolve(services, options.HeadFile) ?? Path.Combine(BesideDataFolder(services), "audit-heads.log");
    }

    private static string? Resolve(IServiceProvider services, string? path) =>
        string.IsNullOrWhiteSpace(path) ? null : Path.GetFullPath(path, services.GetRequiredService<IHostEnvironment>().ContentRootPath);

    /// <summary>
    /// The folder that holds the state database's folder: <c>src/Bot</c> for <c>src/Bot/data/chatops.db</c>; the content root
    /// when the state store is on a database server.
    /// </summary>
    private static string BesideDataFolder(IServiceProvider services)
    {
        var dataFolder = services.GetRequiredService<StateDatabase>().DataFolder;
        return (string.IsNullOrEmpty(dataFolder) ? null : Path.GetDirectoryName(dataFolder))
               ?? services.GetRequiredService<IHostEnvironment>().ContentRootPath;
    }
}
