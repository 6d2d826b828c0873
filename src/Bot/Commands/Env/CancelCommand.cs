using ChatOps.Bot.Workflows;

namespace ChatOps.Bot.Commands.Env;

/// <summary><c>/env cancel test</c>: stops the run in progress; its message shows the cancellation.</summary>
public sealed class CancelCommand(RunStore runs, WorkflowEngine engine) : IChatCommand
{
    public string Name => "cancel";

    public async Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var environment = context.Environment!.Name;
        var lease = await runs.GetLeaseAsync(environment, cancellationToken);
        if (lease is null || !engine.Cancel(environment, context.Principal.DisplayName))
        {
            return CommandResult.Fail(CommandError.Refused, $"Nothing is running on *{environment}*.");
        }

        return CommandResult.Ok($"Cancelling run {lease.RunId} on *{environment}*…");
    }
}
