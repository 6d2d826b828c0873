using System.Text.Json.Nodes;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Discord.Interactions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Discord.Sending;

/// <summary>
/// Sends the outbox's messages to Discord (<c>discord:{channel id}</c>).
/// <para>
/// An answer to an interaction arrives with the interaction as its thread parent (<see cref="DiscordAnswerSlot"/>).
/// The first post that answers it fills the interaction's deferred original response (<c>PATCH …/@original</c>), so the
/// message the asker sees "thinking" becomes the run's message or the reply, and the id recorded for it is the real
/// message id Discord returns: button presses name that id, and <c>ButtonOrigins</c> compares it. Edits of that
/// message go through the interaction token while it lives (<see cref="DiscordOptions.InteractionTokenLifetime"/>),
/// then through the bot token. An answer for the asker alone (<see cref="OutgoingMessage.VisibleTo"/>) is an
/// ephemeral follow-up instead, and the public "thinking" response it replaces is deleted.
/// </para>
/// <para>
/// Every other post is a channel message carrying a nonce derived from its outbox key with <c>enforce_nonce</c>, so
/// a post sent again after its answer was lost is the same message. A real message id as thread parent makes the
/// post a reply to it. Text beyond one message goes into a thread started under it.
/// </para>
/// </summary>
internal sealed class DiscordChatSender(
    IDiscordRest rest,
    DiscordInteractionStore interactions,
    IOptions<DiscordOptions> options,
    TimeProvider time,
    ILogger<DiscordChatSender> logger) : IChatSender
{
    public const string PlatformName = "discord";

    /// <summary>Discord allows 100 characters for a thread's name.</summary>
    private const int MaxThreadName = 100;

    public string Platform => PlatformName;

    public async Task<string> PostAsync(ChatDestination destination, OutgoingMessage message, string? threadOf = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(message);
        var rendering = DiscordMessageRenderer.RenderPost(message);
        var key = message.DeliveryKey ?? "";

        if (DiscordAnswerSlot.TryParse(threadOf, out var interactionId))
        {
            var interaction = await interactions.GetAsync(interactionId, cancellationToken);
            if (interaction is not null && Usable(interaction))
            {
                if (message.VisibleTo is not null)
                {
                    return await AnswerPrivatelyAsync(interaction, rendering, key, cancellationToken);
                }

                if (await interactions.ClaimOriginalAsync(interaction.Id, key, cancellationToken))
                {
                    var original = await rest.EditOriginalInteractionResponseAsync(interaction.Token, rendering.Message, cancellationToken);
                    await interactions.RecordOriginalAsync(interaction.Id, original.Id, cancellationToken);
                    Log.OriginalFilled(logger, interaction.Id, original.Id, key);
                    await PostRestAsync(original, rendering.Rest, key, cancellationToken);
                    return original.Id;
                }
            }
            else
            {
                Log.InteractionTokenGone(logger, interactionId, key);
            }

            // The original response is another post's, or its token is gone: this one is a message of its own.
            threadOf = null;
        }
        else if (message.VisibleTo is not null && threadOf is not null
                 && await interactions.FindLatestPressAsync(destination.Channel, threadOf, message.VisibleTo, cancellationToken) is { } press && Usable(press))
        {
            // An answer to a button press for the presser alone: only the press's token can show it to them alone.
            return await FollowUpAsync(press, rendering, key, cancellationToken);
        }

        var posted = await CreateAsync(destination.Channel, rendering.Message, key, threadOf, cancellationToken);
        await PostRestAsync(posted, rendering.Rest, key, cancellationToken);
        return posted.Id;
    }

    public async Task UpdateAsync(ChatDestination destination, string messageId, OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(messageId);
        ArgumentNullException.ThrowIfNull(message);
        var payload = DiscordMessageRenderer.RenderEdit(message);
        if (await interactions.FindByOriginalMessageAsync(messageId, cancellationToken) is { OriginalDeleted: false } interaction && Usable(interaction))
        {
            await rest.EditOriginalInteractionResponseAsync(interaction.Token, payload, cancellationToken);
            return;
        }

        await rest.EditMessageAsync(destination.Channel, messageId, payload, cancellationToken);
    }

    private bool Usable(DiscordInteractionRecord interaction) =>
        interaction.TokenUsableAt(time.GetUtcNow(), DiscordInteractionRecord.TokenLifetime - options.Value.InteractionTokenLifetime);

    /// <summary>
    /// The answer as an ephemeral follow-up; the deferred original response, public and still "thinking", is deleted
    /// unless another post already fills it. The follow-up goes first: if the deletion fails, the answer is not lost.
    /// </summary>
    private async Task<string> AnswerPrivatelyAsync(DiscordInteractionRecord interaction, DiscordRendering rendering, string key, CancellationToken cancellationToken)
    {
        var id = await FollowUpAsync(interaction, rendering, key, cancellationToken);
        if (await interactions.ClaimOriginalAsync(interaction.Id, key, cancellationToken) && !interaction.OriginalDeleted)
        {
            await rest.DeleteOriginalInteractionResponseAsync(interaction.Token, cancellationToken);
            await interactions.MarkOriginalDeletedAsync(interaction.Id, cancellationToken);
        }

        return id;
    }

    /// <summary>
    /// An ephemeral follow-up: Discord cannot find it again, so a retry after a lost answer may show it twice, as
    /// for Slack's ephemeral messages. A text longer than one message is sent in pieces, all ephemeral.
    /// </summary>
    private async Task<string> FollowUpAsync(DiscordInteractionRecord interaction, DiscordRendering rendering, string key, CancellationToken cancellationToken)
    {
        var first = await rest.CreateFollowupMessageAsync(interaction.Token, Ephemeral(rendering.Message), cancellationToken);
        foreach (var piece in rendering.Rest)
        {
            await rest.CreateFollowupMessageAsync(interaction.Token, Ephemeral(DiscordMessageRenderer.RenderPiece(piece)), cancellationToken);
        }

        Log.AnsweredPrivately(logger, interaction.Id, first.Id, key);
        return first.Id;
    }

    private static DiscordMessagePayload Ephemeral(DiscordMessagePayload payload)
    {
        var body = (JsonObject)payload.Body.DeepClone();
        body["flags"] = DiscordResponses.Ephemeral;
        return payload with { Body = body };
    }

    private Task<DiscordMessageRef> CreateAsync(string channelId, DiscordMessagePayload payload, string key, string? replyTo, CancellationToken cancellationToken)
    {
        var body = (JsonObject)payload.Body.DeepClone();
        if (key.Length > 0)
        {
            body["nonce"] = DiscordNonce.For(key);
            body["enforce_nonce"] = true;
        }

        if (replyTo is not null)
        {
            // A reply to the message that asked; if it was deleted meanwhile, the answer still goes to the channel.
            body["message_reference"] = new JsonObject { ["message_id"] = replyTo, ["fail_if_not_exists"] = false };
        }

        return rest.CreateMessageAsync(channelId, payload with { Body = body }, cancellationToken);
    }

    /// <summary>
    /// The rest of a long text, in a thread started under the message. A thread started from a message has the
    /// message's id, so when starting it fails because an earlier attempt started it, the pieces still find it.
    /// Each piece carries its own nonce, so a retried post repeats none of them.
    /// </summary>
    private async Task PostRestAsync(DiscordMessageRef message, IReadOnlyList<string> pieces, string key, CancellationToken cancellationToken)
    {
        if (pieces.Count == 0)
        {
            return;
        }

        string thread;
        try
        {
            thread = await rest.StartThreadFromMessageAsync(message.ChannelId, message.Id, ThreadName(pieces[0]), cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.ThreadNotStarted(logger, exception, message.Id);
            thread = message.Id;
        }

        for (var i = 0; i < pieces.Count; i++)
        {
            await CreateAsync(thread, DiscordMessageRenderer.RenderPiece(pieces[i]), key.Length == 0 ? "" : $"{key}:rest:{i}", null, cancellationToken);
        }
    }

    private static string ThreadName(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        var name = line.Length == 0 ? "More" : line;
        return name.Length <= MaxThreadName ? name : name[..(MaxThreadName - 1)] + "…";
    }
}
