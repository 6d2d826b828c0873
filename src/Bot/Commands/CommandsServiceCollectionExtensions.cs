using ChatOps.Bot.Commands.Alerts;
using ChatOps.Bot.Commands.Env;
using ChatOps.Bot.Environments;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChatOps.Bot.Commands;

internal static class CommandsServiceCollectionExtensions
{
    /// <summary>
    /// Every built-in command, the <see cref="CommandCatalog"/> built from their registered definitions, the
    /// <see cref="CommandRegistry"/> of their handlers, and help. The order here is the order help, autocomplete and the Slack manifest list them.
    /// </summary>
    public static IServiceCollection AddCommands(this IServiceCollection services)
    {
        services.AddChatCommand<ListCommand>()
            .AddChatCommand<StatusCommand>()
            .AddChatCommand<UpCommand>()
            .AddChatCommand<ProvisionCommand>()
            .AddChatCommand<HaltCommand>()
            .AddChatCommand<DestroyCommand>()
            .AddChatCommand<BalanceCommand>()
            .AddChatCommand<SorryCommand>()
            .AddChatCommand<HistoryCommand>()
            .AddChatCommand<LockCommand>()
            .AddChatCommand<UnlockCommand>()
            .AddChatCommand<CancelCommand>()
            .AddChatCommand<PulseNowCommand>()
            .AddChatCommand<AlertListCommand>()
            .AddChatCommand<AlertAckCommand>()
            .AddChatCommand<AlertResolveCommand>()
            .AddChatCommand<AlertMuteCommand>();
        services.TryAddSingleton(sp => new CommandCatalog(sp.GetServices<VerbDefinition>()));
        services.TryAddSingleton<CommandRegistry>();
        services.TryAddSingleton<HelpFormatter>();
        return services;
    }

    /// <summary>
    /// Adds one command: its definition joins the catalog, and it handles what is parsed to it and the buttons it
    /// declares. A verb that starts runs tells Workflows its <see cref="Workflows.RunKind"/>, and one permitted per
    /// environment tells the environments' policy its tier and confirmation default.
    /// </summary>
    public static IServiceCollection AddChatCommand<TCommand>(this IServiceCollection services)
        where TCommand : class, IChatCommand, IDeclaresCommand
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(IChatCommand) && d.ImplementationType == typeof(TCommand)))
        {
            return services;
        }

        services.AddSingleton<IChatCommand, TCommand>();
        var definition = TCommand.Definition;
        services.AddSingleton(definition);
        if (definition.Run is { } run)
        {
            services.AddSingleton(run);
        }

        if (definition.Group.IsPermittedPerEnvironment)
        {
            services.AddSingleton(new VerbPolicy(definition.Name, definition.Tier, definition.ConfirmByDefault));
        }

        return services;
    }
}
