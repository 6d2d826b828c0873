using ChatOps.Integrations.Chat;

namespace ChatOps.Bot.Watch;

/// <summary>One node (or the load balancer's view of it) not serving as it should, and since when, if known.</summary>
internal sealed record NodeProblem(string Node, string What, DateTimeOffset? Since);

/// <summary>An environment believed up that drifted; open until it recovers or a run changes it.</summary>
internal sealed record DriftIncident(long Id, string Environment, DateTimeOffset StartedAt, IReadOnlyList<NodeProblem> Problems, IReadOnlyList<ChatDestination> Destinations)
{
    public DateTimeOffset? ResolvedAt { get; init; }

    public string? Resolution { get; init; }

    /// <summary>The outbox key of the incident's notice in one destination; its edits refer to it.</summary>
    public string PostKey(ChatDestination destination) => $"drift:{Environment}:{Id}:{destination}";
}
