namespace ChatOps.Integrations.Slack;

internal enum SlackTokenKind
{
    Bot,
    App,
}

/// <summary>What <see cref="SlackWebApi"/> tells its handlers about a request, without their parsing bodies.</summary>
internal static class SlackRequestOptions
{
    public static readonly HttpRequestOptionsKey<string> Method = new("slack.method");
    public static readonly HttpRequestOptionsKey<string> Channel = new("slack.channel");
    public static readonly HttpRequestOptionsKey<SlackTokenKind> Token = new("slack.token");
}
