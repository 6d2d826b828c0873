using System.Text;
using ChatOps.Bot.Workflows;

namespace ChatOps.Bot.Commands.Env;

/// <summary><c>/env history prod</c>: recent runs with who, what, when and the result.</summary>
internal sealed class HistoryCommand(RunStore runs, TimeProvider time) : IChatCommand, IDeclaresCommand
{
    private const int Shown = 10;

    public static VerbDefinition Definition { get; } = new()
    {
        Group = EnvCommands.Group, Name = "history", Aliases = ["log", "runs"], Arguments = [EnvCommands.Environment], OnlyReads = true,
        Summary = "Show recent runs: who, what, when and the result.", Examples = ["/env history prod"],
    };

    VerbDefinition IChatCommand.Definition => Definition;

    public async Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var environment = context.Environment!.Name;
        var recent = await runs.ListAsync(environment, Shown, cancellationToken);
        if (recent.Count == 0)
        {
            return CommandResult.Ok($"Nothing has run on *{environment}* yet.");
        }

        var now = time.GetUtcNow();
        var text = new StringBuilder($"Recent runs on *{environment}*:\n");
        foreach (var run in recent)
        {
            var arguments = run.Arguments.TryGetValue("version", out var version) ? $" `{version}`" : "";
            var approved = run.ApprovedBy is null ? "" : $" (approved by {run.ApprovedBy})";
            text.Append($"• run {run.Id}: {run.RequesterName}{approved} — {run.Verb}{arguments}, {RunWording.Ago(run.CreatedAt, now)}: {run.Status.ToWire()}");
            if (run is { StartedAt: { } started, EndedAt: { } ended })
            {
                text.Append($" in {RunWording.Duration(ended - started)}");
            }

            if (run.Status is not RunStatus.Succeeded && run.Result is { Length: > 0 } result)
            {
                text.Append($" ({result})");
            }

            text.Append('\n');
        }

        return CommandResult.Ok(text.ToString().TrimEnd());
    }
}
