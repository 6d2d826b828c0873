using System.Globalization;
using System.Text.Json.Nodes;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Discord;
using ChatOps.TestCommon.Processes;

namespace ChatOps.Bot.FunctionalTests.Discord;

/// <summary>
/// The bot as a real process wired to Discord: its REST API is the loopback <see cref="DiscordRestPeer"/> (every request
/// checked against the OpenAPI document), and interactions reach its endpoint signed as Discord signs them.
/// </summary>
internal sealed class DiscordProcessHost : IAsyncDisposable
{
    public const string Channel = "1400000000000000001";
    public const string Carol = "1300000000000000007";

    private static long _nextId = 1210000000000000000 + (Environment.ProcessId % 1000) * 1_000_000;

    private readonly BotRoot _root = new("chatops-discord-");

    private DiscordProcessHost(DiscordRestPeer peer)
    {
        Peer = peer;
    }

    public DiscordRestPeer Peer { get; }

    public BotProcess Bot { get; private set; } = null!;

    /// <summary>The bot's state store, for reading what it recorded.</summary>
    public string StateDatabase => _root.StateDatabase;

    /// <param name="settings">Environment variables for the bot beyond the Discord ones.</param>
    /// <param name="configurePeer">Prepares the REST peer before the bot starts (where <c>GET /gateway/bot</c> points).</param>
    public static async Task<DiscordProcessHost> StartAsync(IDictionary<string, string>? settings = null, Action<DiscordRestPeer>? configurePeer = null)
    {
        var peer = await DiscordRestPeer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        configurePeer?.Invoke(peer);
        var host = new DiscordProcessHost(peer);
        var values = new Dictionary<string, string>
        {
            ["Discord__PublicKey"] = DiscordInteractions.PublicKey,
            ["Discord__ApplicationId"] = DiscordRestPeer.ApplicationId,
            ["Discord__BotToken"] = DiscordRestPeer.BotToken,
            ["Discord__ApiBaseUrl"] = peer.ApiBaseUrl.ToString(),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            values[key] = value;
        }

        host.Bot = await BotProcess.StartAsync(host._root.Path, values);
        return host;
    }

    public static string NextId() => Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);

    /// <summary><c>/env {verb} {env}</c> by Carol in the channel, as Discord would send it; returns the interaction's id and token.</summary>
    public static JsonObject Command(string id, string verb, string environment) => Interaction(id, 2, new JsonObject
    {
        ["id"] = "1500000000000000001",
        ["name"] = "env",
        ["type"] = 1,
        ["options"] = new JsonArray(new JsonObject
        {
            ["name"] = verb,
            ["type"] = 1,
            ["options"] = new JsonArray(new JsonObject { ["name"] = "env", ["type"] = 3, ["value"] = environment }),
        }),
    });

    public static JsonObject Press(string id, string messageId, string customId)
    {
        var press = Interaction(id, 3, new JsonObject { ["custom_id"] = customId, ["component_type"] = 2 });
        press["message"] = new JsonObject { ["id"] = messageId, ["channel_id"] = Channel };
        return press;
    }

    public static string Token(JsonObject interaction) => interaction["token"]!.GetValue<string>();

    /// <summary>Tells the peer where the interaction happened, then sends it signed now; returns the bot's answer.</summary>
    public async Task<JsonObject> SendAsync(JsonObject interaction, string? messageId = null)
    {
        Peer.OpenInteraction(interaction["id"]!.GetValue<string>(), Token(interaction), Channel, messageId);
        using var request = DiscordInteractions.Signed(interaction.ToJsonString(), TimeProvider.System.GetUtcNow());
        using var response = await Bot.Http.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>Waits, bounded, for the interaction's original response to satisfy <paramref name="match"/>.</summary>
    public Task<DiscordPeerMessage> WaitForOriginalAsync(string token, Func<DiscordPeerMessage, bool> match, string what) =>
        Wait.ForAsync(() => Peer.OriginalResponse(token) is { } m && match(m) ? m : null, what, within: TimeSpan.FromMinutes(1),
            lastSeen: () => Peer.OriginalResponse(token) is { } m ? $"{m.Id} ({m.Edits} edits): {m.Content}" : "no original response yet; " + Describe());

    public Task<DiscordPeerMessage> WaitForMessageAsync(Func<DiscordPeerMessage, bool> match, string what) =>
        Wait.ForAsync(() => Peer.MessagesIn(Channel).FirstOrDefault(match), what, within: TimeSpan.FromMinutes(1), lastSeen: Describe);

    public static IReadOnlyList<string> CustomIds(DiscordPeerMessage message) =>
        [.. message.Components.OfType<JsonObject>().SelectMany(r => r["components"]!.AsArray().OfType<JsonObject>()).Select(b => b["custom_id"]!.GetValue<string>())];

    public async ValueTask DisposeAsync()
    {
        await Bot.DisposeAsync();
        await Peer.DisposeAsync();
        _root.Dispose();
    }

    private string Describe() =>
        string.Join("\n", Peer.MessagesIn(Channel).Select(m => $"{m.Id} ({m.Edits} edits, token {m.InteractionToken ?? "-"}): {m.Content}"))
        + "\n" + string.Join("\n", Peer.Requests.TakeLast(10).Select(r => $"{r.Method} {r.Path} {r.Status}"));

    private static JsonObject Interaction(string id, int type, JsonObject data) => new()
    {
        ["id"] = id,
        ["application_id"] = DiscordRestPeer.ApplicationId,
        ["type"] = type,
        ["token"] = $"token-{id}",
        ["version"] = 1,
        ["guild_id"] = "1600000000000000001",
        ["channel_id"] = Channel,
        ["member"] = new JsonObject
        {
            ["user"] = new JsonObject { ["id"] = Carol, ["username"] = "carol", ["global_name"] = "Carol", ["discriminator"] = "0" },
            ["roles"] = new JsonArray(),
        },
        ["data"] = data,
    };
}
