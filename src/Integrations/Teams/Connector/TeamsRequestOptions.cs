namespace ChatOps.Integrations.Teams.Connector;

/// <summary>What a Connector request is, for the retry pipeline and its logs.</summary>
internal static class TeamsRequestOptions
{
    /// <summary>The Connector operation: <see cref="Send"/>, <see cref="Reply"/> or <see cref="Update"/>.</summary>
    public static readonly HttpRequestOptionsKey<string> Operation = new("teams.operation");

    public static readonly HttpRequestOptionsKey<string> Conversation = new("teams.conversation");

    public const string Send = "send";
    public const string Reply = "reply";
    public const string Update = "update";
}
