using System.Text.Json.Nodes;
using ChatOps.Bot.FunctionalTests.Infrastructure;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Slack;

namespace ChatOps.Bot.FunctionalTests.Slack;

/// <summary>
/// The real host wired to Slack: its Web API is the loopback <see cref="SlackPeer"/> (spec-checked,
/// one message per second per channel with 429s), and requests reach it signed as Slack signs them.
/// </summary>
public sealed class SlackHost : IAsyncDisposable
{
    public const string SigningSecret = "functional-test-signing-secret";
    public const string Channel = "C0OPS";

    private SlackHost(SlackPeer peer, BotFactory factory)
    {
        Peer = peer;
        Factory = factory;
        Slack = new SlackDeliveries(factory.CreateClient(), SigningSecret);
    }

    public SlackPeer Peer { get; }

    public BotFactory Factory { get; }

    public SlackDeliveries Slack { get; }

    public static async Task<SlackHost> StartAsync(IDictionary<string, string?>? settings = null, Action<SlackPeer>? configurePeer = null)
    {
        var peer = await SlackPeer.StartAsync(TestContext.Current.CancellationToken);
        configurePeer?.Invoke(peer);
        var values = new Dictionary<string, string?>
        {
            ["Slack:SigningSecret"] = SigningSecret,
            ["Slack:BotToken"] = SlackPeer.BotToken,
            ["Slack:ApiBaseUrl"] = peer.ApiBaseUrl.ToString(),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        return new SlackHost(peer, new BotFactory(settings: values));
    }

    /// <summary>Top-level messages (not thread replies) in a channel, oldest first.</summary>
    public IReadOnlyList<PeerMessage> TopLevel(string channel = Channel) =>
        [.. Peer.MessagesIn(channel).Where(m => m.ThreadTs is null)];

    /// <summary>Polls the peer until <paramref name="find"/> returns something; bounded so a broken bot fails instead of hanging.</summary>
    public Task<PeerMessage> WaitForAsync(Func<IReadOnlyList<PeerMessage>, PeerMessage?> find, string channel = Channel)
    {
        IReadOnlyList<PeerMessage> last = [];
        return Wait.ForAsync(
            () => find(last = Peer.MessagesIn(channel)),
            $"the expected Slack message in {channel}",
            // Runs that post through Slack's one-message-per-second limit take longer than most waits.
            within: TimeSpan.FromMinutes(1),
            lastSeen: () => string.Join("\n", last.Select(m => $"{m.Ts} (thread {m.ThreadTs ?? "-"}, {m.Edits} edits): {m.Text}")));
    }

    /// <summary>Polls the peer's ephemeral messages in <paramref name="channel"/> until one satisfies <paramref name="find"/>; bounded.</summary>
    public Task<PeerMessage> WaitForEphemeralAsync(Func<PeerMessage, bool> find, string channel = Channel)
    {
        IReadOnlyList<PeerMessage> last = [];
        return Wait.ForAsync(
            () => (last = Peer.EphemeralIn(channel)).FirstOrDefault(find),
            $"the expected ephemeral Slack message in {channel}",
            within: TimeSpan.FromMinutes(1),
            lastSeen: () => string.Join("\n", last.Select(m => $"{m.Ts} for {m.VisibleTo}: {m.Text}")));
    }

    /// <summary>The action ids of the buttons on a message, read from its Block Kit blocks.</summary>
    public static IReadOnlyList<string> ActionIds(PeerMessage message) =>
        [.. (message.Blocks ?? [])
            .OfType<JsonObject>()
            .Where(b => b["type"]?.GetValue<string>() == "actions")
            .SelectMany(b => b["elements"]!.AsArray().OfType<JsonObject>())
            .Select(e => e["action_id"]!.GetValue<string>())];

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Peer.DisposeAsync();
    }
}
