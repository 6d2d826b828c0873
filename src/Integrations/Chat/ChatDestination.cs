namespace ChatOps.Integrations.Chat;

/// <summary>Where a message goes: a platform ("webchat", "slack", "discord", "teams") and its channel id.</summary>
public sealed record ChatDestination(string Platform, string Channel)
{
    public override string ToString() => $"{Platform}:{Channel}";
}
