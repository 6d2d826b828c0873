using ChatOps.Radiator.Pulse;

namespace ChatOps.Bot.Commands;

/// <summary><c>/pulse</c>: posts every KPI's pulse to the pulse channels now.</summary>
internal sealed class PulseNowCommand(PulseService pulse) : IChatCommand, IDeclaresCommand
{
    public static VerbDefinition Definition { get; } = new()
    {
        Group = new("pulse", [], "Post the business pulse now.") { IsVerb = true },
        Name = "pulse", Summary = "Post every KPI's pulse to the pulse channels now.", Examples = ["/pulse"],
    };

    VerbDefinition IChatCommand.Definition => Definition;

    public async Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var posted = await pulse.PostNowAsync(cancellationToken);
        return posted == 0
            ? CommandResult.Ok("Nothing to post: every KPI is quiet or its data is late (the pulse channels say which).")
            : CommandResult.Ok($"Posted {posted} pulse {(posted == 1 ? "message" : "messages")} to the pulse channels.");
    }
}
