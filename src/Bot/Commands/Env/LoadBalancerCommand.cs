namespace ChatOps.Bot.Commands.Env;

/// <summary>
/// <c>balance</c> and <c>sorry</c>. They need a load balancer in front of the environment's nodes;
/// until one is configured for the environment they say so rather than pretend.
/// </summary>
public sealed class LoadBalancerCommand(string verb) : IChatCommand
{
    public string Name => verb;

    public Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var environment = context.Environment!.Name;
        return Task.FromResult(CommandResult.Fail(CommandError.Refused,
            $"*{environment}* has no load balancer yet, so `{verb}` cannot act on it. " +
            "Weights and the sorry page need HAProxy in front of the environment's nodes."));
    }
}
