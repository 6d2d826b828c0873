using System.Text;
using ChatOps.Bot.Watch;
using ChatOps.Bot.Workflows;

namespace ChatOps.Bot.Commands.Env;

/// <summary><c>/env status test</c>: each node's URL, health and version; the run in progress; the lock; the last run.</summary>
internal sealed class StatusCommand(EnvironmentSnapshots snapshots, RunKinds kinds, TimeProvider time) : IChatCommand, IDeclaresCommand
{
    public static VerbDefinition Definition { get; } = new()
    {
        Group = EnvCommands.Group, Name = "status", Aliases = ["show", "state", "info"], Arguments = [EnvCommands.Environment], OnlyReads = true,
        Summary = "Show nodes, health, version, the current run and lock.", Examples = ["/env status test"],
        Phrases = [new("how is {env}"), new("how is {env} doing")],
    };

    VerbDefinition IChatCommand.Definition => Definition;

    public async Task<CommandResult> ExecuteAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var snapshot = await snapshots.ReadAsync(context.Environment!, cancellationToken);
        var now = time.GetUtcNow();
        var text = new StringBuilder($"*{snapshot.Definition.Name}* is {snapshot.State} ({snapshot.Definition.Provider} provider)\n");
        if (snapshot.Incident is { } incident)
        {
            text.Append($"⚠️ Degraded since {RunWording.Ago(incident.StartedAt, now)}: ").Append(string.Join("; ", incident.Problems.Select(p => $"{p.Node} {p.What}"))).Append('\n');
        }

        foreach (var node in snapshot.Observation.Nodes)
        {
            text.Append($"• {node.Name}: {node.Health.ToString().ToLowerInvariant()}");
            if (node.Url is not null)
            {
                text.Append($" at {node.Url}");
            }

            if (node.Version is not null)
            {
                text.Append($", version `{node.Version}`");
            }

            text.Append('\n');
        }

        if (snapshot.LoadBalancer is { } lb)
        {
            text.Append($"Load balancer {lb.FrontUrl?.ToString() ?? "(front not running)"}: ")
                .Append(string.Join(", ", lb.Servers.Select(s => $"{s.Name} weight {s.Weight} {s.State}")))
                .Append(lb.Sorry ? $" · sorry page ON: “{lb.SorryMessage}”" : "").Append('\n');
        }
        else if (snapshot.LoadBalancerProblem is { } problem)
        {
            text.Append("Load balancer: ").Append(problem).Append('\n');
        }

        if (snapshot.Lease is not null)
        {
            text.Append("Now: ").Append(RunWording.Busy(snapshot.Lease, kinds, now)).Append('\n');
        }

        if (snapshot.Lock is not null)
        {
            text.Append("🔒 ").Append(RunWording.Locked(snapshot.Lock, now)).Append('\n');
        }

        if (snapshot.LastRun is { } last)
        {
            // A request that never started changed nothing: "dave — halt, refused" would read as if dave halted it.
            text.Append(last.StartedAt is null && last.IsFinished
                ? $"Last request {last.Id}: {last.RequesterName} asked to {last.Verb}, {last.Status.ToWire()}{(last.Result is { Length: > 0 } why ? $" ({why.TrimEnd('.')})" : "")}, nothing changed, {RunWording.Ago(last.CreatedAt, now)}"
                : $"Last run {last.Id}: {last.RequesterName} — {last.Verb}, {last.Status.ToWire()}, {RunWording.Ago(last.CreatedAt, now)}");
        }

        return CommandResult.Ok(text.ToString().TrimEnd());
    }
}
