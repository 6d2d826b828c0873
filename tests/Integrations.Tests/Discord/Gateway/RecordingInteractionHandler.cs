using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Inbox;
using ChatOps.Integrations.Discord;

namespace ChatOps.Integrations.Tests.Discord.Gateway;

/// <summary>
/// The other side of <see cref="IDiscordInteractionHandler"/>, as small as it can be and still honest: it keeps each
/// interaction in the real inbox under the interaction's id (so a replayed one is a duplicate there), records what it
/// got, and answers with a deferred response (type 5), as the bot does for a slash command.
/// </summary>
internal sealed class RecordingInteractionHandler(IChatInbox inbox) : IDiscordInteractionHandler
{
    public static readonly JsonObject Deferred = new() { ["type"] = 5 };

    public ConcurrentQueue<(string Id, InboxAdmission Admission)> Received { get; } = new();

    /// <summary>When set, each interaction waits for it before it is kept, as one would behind a slow store.</summary>
    public Task? HoldUntil { get; set; }

    public async Task<JsonObject> HandleAsync(JsonElement interaction, CancellationToken cancellationToken)
    {
        if (HoldUntil is { } hold)
        {
            await hold.WaitAsync(cancellationToken);
        }

        var id = interaction.GetProperty("id").GetString()!;
        var user = interaction.GetProperty("member").GetProperty("user").GetProperty("id").GetString()!;
        var command = interaction.GetProperty("data");
        var sub = command.GetProperty("options")[0];
        var text = $"{command.GetProperty("name").GetString()} {sub.GetProperty("name").GetString()} {sub.GetProperty("options")[0].GetProperty("value").GetString()}";
        var request = new ChatRequest(new ChatDestination("discord", interaction.GetProperty("channel_id").GetString()!), new ChatUser("discord", user), text, $"discord-interaction:{id}");
        Received.Enqueue((id, await inbox.ReceiveAsync(request, cancellationToken)));
        return (JsonObject)Deferred.DeepClone();
    }
}
