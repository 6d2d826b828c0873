using ChatOps.Bot.Audit;
using ChatOps.Bot.Watch;
using ChatOps.Bot.Workflows;

namespace ChatOps.Bot.Api;

/// <summary>The read-only JSON shapes for scripts and dashboards: stable names, no internals.</summary>
internal static class ApiModels
{
    public static object Environment(EnvironmentSnapshot s, string? lastRunMessageId) => new
    {
        name = s.Definition.Name,
        provider = s.Definition.Provider,
        description = s.Definition.Description,
        state = s.State,
        nodes = s.Observation.Nodes.Select(n => new
        {
            name = n.Name,
            url = n.Url?.ToString(),
            health = n.Health.ToString().ToLowerInvariant(),
            version = n.Version,
            processId = n.ProcessId,
        }),
        lease = s.Lease is { } l ? new { runId = l.RunId, holder = l.HolderName, verb = l.Verb, token = l.Token, since = l.AcquiredAt, expiresAt = l.ExpiresAt } : null,
        @lock = s.Lock is { } k ? new { holder = k.HolderName, reason = k.Reason, since = k.AcquiredAt, expiresAt = k.ExpiresAt } : null,
        lastRun = s.LastRun is { } r ? Run(r, lastRunMessageId) : null,
        incident = s.Incident is { } i ? new { id = i.Id, since = i.StartedAt, problems = i.Problems.Select(p => $"{p.Node} {p.What}") } : null,
        loadBalancer = s.LoadBalancer is { } lb
            ? new LoadBalancerModel(lb.FrontUrl?.ToString(), [.. lb.Servers.Select(x => new ServerModel(x.Name, x.Weight, x.State))], lb.Sorry, lb.SorryMessage, null)
            : s.LoadBalancerProblem is { } problem ? new LoadBalancerModel(null, [], false, null, problem) : null,
    };

    /// <summary>A run; <paramref name="messageId"/> is the platform's id of its message, from the outbox (null while it is not out).</summary>
    public static object Run(RunRecord r, string? messageId) => new
    {
        id = r.Id,
        environment = r.Environment,
        verb = r.Verb,
        arguments = r.Arguments,
        status = r.Status.ToWire(),
        requester = r.RequesterName,
        approvedBy = r.ApprovedBy,
        channel = new { platform = r.Destination.Platform, channel = r.Destination.Channel },
        messageId,
        steps = r.Steps.Select(st => new
        {
            name = st.Name,
            state = st.State.ToString().ToLowerInvariant(),
            detail = st.Detail,
            startedAt = st.StartedAt,
            endedAt = st.EndedAt,
        }),
        createdAt = r.CreatedAt,
        startedAt = r.StartedAt,
        endedAt = r.EndedAt,
        result = r.Result,
        output = r.OutputTail,
    };

    public static object Audit(AuditRecord a) => new
    {
        seq = a.Seq,
        at = a.At,
        actor = a.ActorName,
        actorId = a.ActorId,
        action = a.Action,
        environment = a.Environment,
        runId = a.RunId,
        detail = a.Detail,
        prevHash = a.PrevHash,
        hash = a.Hash,
    };

    private sealed record LoadBalancerModel(string? Url, IReadOnlyList<ServerModel> Servers, bool Sorry, string? SorryMessage, string? Problem);

    private sealed record ServerModel(string Name, int Weight, string State);
}
