using System.Collections.Concurrent;

namespace ChatOps.Integrations.Teams.Graph;

/// <summary>
/// The conversations Microsoft Graph cannot be asked about now, and why: so each is logged once rather than at every
/// lost answer, and <c>/healthz</c> can name them. A conversation leaves the list when Graph answers for it again
/// (the consent was granted by installing the new package there).
/// </summary>
internal sealed class TeamsGraphLookupState(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, TeamsGraphUnavailable> _unavailable = new(StringComparer.Ordinal);

    /// <summary>Records that <paramref name="conversation"/> cannot be asked; true the first time (say so then).</summary>
    public bool MarkUnavailable(string conversation, string reason, bool refused) =>
        _unavailable.TryAdd(conversation, new TeamsGraphUnavailable(conversation, reason, refused, time.GetUtcNow()));

    /// <summary>Records that Graph answered for <paramref name="conversation"/>; true when it had not been able to before.</summary>
    public bool MarkAnswered(string conversation) => _unavailable.TryRemove(conversation, out _);

    public IReadOnlyList<TeamsGraphUnavailable> Snapshot() => [.. _unavailable.Values.OrderBy(u => u.Since)];
}

/// <param name="Conversation">The Teams conversation id.</param>
/// <param name="Reason">Why Graph cannot be asked.</param>
/// <param name="Refused">Graph itself refused (403): the app's resource-specific consent is missing there.</param>
/// <param name="Since">When it was first seen.</param>
internal sealed record TeamsGraphUnavailable(string Conversation, string Reason, bool Refused, DateTimeOffset Since);
