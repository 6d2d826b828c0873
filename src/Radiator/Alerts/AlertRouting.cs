using ChatOps.Integrations.Chat;

namespace ChatOps.Radiator.Alerts;

/// <summary>Which route an alert takes: the first whose matchers all hold, else the default channels.</summary>
public sealed class AlertRouting(AlertOptions options, ContactDirectory contacts)
{
    private readonly IReadOnlyList<ChatDestination> _defaults = Destinations.ParseAll(options.Channels);

    public AlertRouteOptions? RouteOf(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return options.Routes.FirstOrDefault(r => r.Match.All(m =>
            alert.Labels.FirstOrDefault(l => l.Key.Equals(m.Key, StringComparison.OrdinalIgnoreCase)).Value is { } value
            && value.Equals(m.Value, StringComparison.OrdinalIgnoreCase)));
    }

    public IReadOnlyList<ChatDestination> DestinationsOf(Alert alert) =>
        RouteOf(alert) is { Channels.Count: > 0 } route ? Destinations.ParseAll(route.Channels) : _defaults;

    /// <summary>The route's escalation, each step repeated as configured: entry n is the wait before notification n and whom to notify.</summary>
    public IReadOnlyList<EscalationStepOptions> EscalationOf(Alert alert) =>
        RouteOf(alert)?.Escalation.SelectMany(s => Enumerable.Repeat(s, 1 + s.Repeat)).ToList() ?? [];

    /// <summary>How to name <paramref name="who"/> (a person, or <c>oncall:{rotation}</c>) so that <paramref name="platform"/> notifies them.</summary>
    public string Mention(string who, string platform, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(who);
        var person = who.StartsWith("oncall:", StringComparison.OrdinalIgnoreCase)
            ? options.OnCall.GetValueOrDefault(who["oncall:".Length..])?.Who(now)
            : who;
        if (person is null)
        {
            return who;
        }

        var id = contacts.AccountOn(person, platform);
        return (platform.ToLowerInvariant(), id) switch
        {
            (_, null) => $"@{person}",
            ("slack", _) => $"<@{id}>",
            ("discord", _) => $"<@{id}>",
            ("teams", _) => $"<at>{id}</at>",
            _ => $"@{id}",
        };
    }
}
