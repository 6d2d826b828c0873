using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ChatOps.TestCommon;

namespace ChatOps.Bot.FunctionalTests.Infrastructure;

/// <summary>Drives the web chat's HTTP API the way its page and scripts do.</summary>
public sealed class ChatApi(HttpClient http)
{
    // Who said each message: the answer to it is read as they see the channel (help and refusals are theirs alone).
    // Shared by every instance (hosts hand out a new one per use); ids carry a per-database tag, so they never collide.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Speakers = new();

    public HttpClient Http => http;

    public async Task<string> SayAsync(string user, string text, string channel = "ops")
    {
        var response = await http.PostAsJsonAsync("/api/chat/messages", new { channel, user, text }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetString()!;
        Speakers[id] = user;
        return id;
    }

    public async Task<HttpResponseMessage> PressAsync(string user, string messageId, string actionId, string channel = "ops") =>
        await http.PostAsJsonAsync("/api/chat/actions", new { channel, user, messageId, actionId }, TestContext.Current.CancellationToken);

    /// <summary>The channel as everyone sees it, or as <paramref name="viewer"/> does (with the messages meant for them alone).</summary>
    public async Task<List<ChatMessage>> MessagesAsync(string channel = "ops", string? viewer = null) =>
        (await http.GetFromJsonAsync<List<ChatMessage>>(
            $"/api/chat/channels/{channel}/messages{(viewer is null ? "" : $"?user={Uri.EscapeDataString(viewer)}")}", Json, TestContext.Current.CancellationToken))!;

    /// <summary>
    /// Waits for the first top-level bot message after <paramref name="afterId"/> that satisfies <paramref name="predicate"/>,
    /// as the person who said <paramref name="afterId"/> sees the channel.
    /// </summary>
    public Task<ChatMessage> BotReplyAsync(string afterId, Func<ChatMessage, bool>? predicate = null) =>
        WaitForAsync(messages => messages.FirstOrDefault(m => m.User == "bot" && m.Seq > Seq(afterId) && (predicate?.Invoke(m) ?? true)),
            viewer: Speakers.GetValueOrDefault(afterId));

    /// <summary>Polls until <paramref name="find"/> returns something; bounded so a broken bot fails instead of hanging.</summary>
    public Task<ChatMessage> WaitForAsync(Func<List<ChatMessage>, ChatMessage?> find, string channel = "ops", string? viewer = null, TimeSpan? within = null)
    {
        List<ChatMessage> last = [];
        return Wait.ForAsync(
            async () => find(last = await MessagesAsync(channel, viewer)),
            $"the expected message in #{channel}",
            // A real bot process driving real node processes: slower than in-process work on a loaded machine.
            within: within ?? TimeSpan.FromMinutes(1),
            lastSeen: () => string.Join("\n", last.Select(m => $"{m.Id} {m.User}: {m.Text}"
                + string.Concat(m.Replies.Select(r => $"\n    ↳ {r.User}: {r.Text}")))));
    }

    public async Task<JsonElement> GetJsonAsync(string path) =>
        await http.GetFromJsonAsync<JsonElement>(path, TestContext.Current.CancellationToken);

    /// <summary>Polls a run until it has finished.</summary>
    public async Task<JsonElement> FinishedRunAsync(long id)
    {
        JsonElement? finished = null;
        await Wait.UntilAsync(
            async () =>
            {
                var run = await GetJsonAsync($"/api/runs/{id}");
                finished = run;
                return run.GetProperty("status").GetString() is not ("pending" or "running" or "awaiting-confirmation" or "awaiting-approval");
            },
            $"run {id} to finish",
            within: TimeSpan.FromMinutes(1));
        return finished!.Value;
    }

    /// <summary>The order part of a web chat id, <c>m{sequence}-{tag}</c>.</summary>
    public static long Seq(string id) => long.Parse(id.AsSpan(1, id.IndexOf('-', StringComparison.Ordinal) - 1), System.Globalization.CultureInfo.InvariantCulture);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}

public sealed record ChatMessage(string Id, string Channel, string User, string Text, List<ChatButtonModel> Buttons, List<string> Context, string? ThreadOf, int Version, List<ChatMessage> Replies,
    string? VisibleTo = null)
{
    public long Seq => ChatApi.Seq(Id);

    public string Action(string prefix) => Buttons.Single(b => b.ActionId.StartsWith(prefix, StringComparison.Ordinal)).ActionId;
}

public sealed record ChatButtonModel(string ActionId, string Label, string Style);
