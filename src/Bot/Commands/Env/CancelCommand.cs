using ChatOps.Bot.Environments;
using ChatOps.Bot.Identity;
using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Chat;

namespace ChatOps.Bot.Commands.Env;

/// <summary>
/// <c>/env cancel test</c>, and the Cancel button on a run's message (<c>cancel-run:{id}</c>): stops the run in
/// progress; its message shows the cancellation.
/// </summary>
internal sealed class CancelCommand(RunStore runs, WorkflowEngine engine, EnvironmentCatalog environments, PermissionPolicy permissions) : IButtonCommand, IDeclaresCommand
{
    public static VerbDefinition Definition { get; } = new()
    {
        Group = EnvCommands.Group, Name = "cancel", Aliases = ["abort"], Arguments = [EnvCommands.Environment], Tier = PolicyTier.Change,
        Summary = "Cancel the run in progress.", Examples = ["/env cancel test"],
        Buttons = [ProgressFormatter.CancelActionPrefix],
    };

    VerbDefinition IChatCommand.Definition => Definition;

    public async Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var environment = context.Environment!.Name;
        var lease = await runs.GetLeaseAsync(environment, cancellationToken);
        if (lease is null || !engine.Cancel(environment, context.Principal.DisplayName))
        {
            return CommandResult.Fail(CommandError.Refused, $"Nothing is running on *{environment}*.");
        }

        return CommandResult.Ok($"Cancelling run {lease.RunId} on *{environment}*…");
    }

    /// <summary>The button is on the run's one message, posted where the run was asked for.</summary>
    public async Task<(string? PostKey, ChatDestination? Recorded)> CarrierAsync(ChatAction press, long id, CancellationToken cancellationToken) =>
        await runs.GetAsync(id, cancellationToken) is { } run ? (RunMessages.Key(run.Id), run.Destination) : (null, null);

    /// <summary>The requester may always cancel their run; anyone else needs permission to <c>cancel</c> on its environment.</summary>
    public async Task<CommandResult> PressAsync(ButtonPress press, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(press);
        var run = await runs.GetAsync(press.Id, cancellationToken);
        if (run is null || run.IsFinished || !engine.IsActive(press.Id))
        {
            return CommandResult.Fail(CommandError.Refused, "That run is no longer running.");
        }

        var environment = environments.Find(run.Environment)!;
        if (!press.Principal.Is(run.RequesterId) && !permissions.Check(press.Principal, environment, Definition.Name).Allowed)
        {
            return CommandResult.Fail(CommandError.Unauthorized, $"Only {run.RequesterName} or someone allowed to `{Definition.Name}` on *{run.Environment}* can cancel this run.");
        }

        engine.Cancel(run.Environment, press.Principal.DisplayName);
        return CommandResult.Ok();
    }
}
