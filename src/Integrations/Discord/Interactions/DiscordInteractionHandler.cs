using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Inbox;
using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Discord.Interactions;

/// <summary>
/// One verified interaction, from the endpoint or the Gateway, into the platform-neutral pipeline. A command is kept
/// in the inbox as a <see cref="ChatRequest"/> (delivery id: the interaction id, so Discord's retry runs nothing
/// twice) and answered with a deferral; its token is kept first, so the answer fills that deferred original response
/// (<see cref="DiscordAnswerSlot"/>). A press becomes a <see cref="ChatAction"/> on <c>message.id</c>, acknowledged
/// with a deferred update; its handler edits the message through the outbox. Autocomplete is answered at once.
/// A full inbox keeps nothing and says "busy" to the asker alone.
/// </summary>
internal sealed class DiscordInteractionHandler(
    IChatInbox inbox,
    DiscordInteractionStore interactions,
    IDiscordCommandVocabulary vocabulary,
    TimeProvider time,
    ILogger<DiscordInteractionHandler> logger) : IDiscordInteractionHandler
{
    public async Task<JsonObject> HandleAsync(JsonElement interaction, CancellationToken cancellationToken)
    {
        var read = DiscordInteractionParser.Parse(interaction);
        switch (read.Kind)
        {
            case DiscordInteractionKind.Ping:
                return DiscordResponses.Pong();
            case DiscordInteractionKind.Autocomplete:
                var focused = read.Focused!;
                return DiscordResponses.Choices(vocabulary.Suggest(read.Command, focused.Name, focused.Value));
            case DiscordInteractionKind.Command:
                var request = new ChatRequest(read.Destination, read.User, DiscordCommandText.Of(read, vocabulary), read.Id)
                {
                    AnswerSlot = DiscordAnswerSlot.For(read.Id),
                };
                return await KeepAsync(read, () => inbox.ReceiveAsync(request, cancellationToken), DiscordResponses.Deferred(), cancellationToken);
            default:
                var action = new ChatAction(read.Destination, read.User, read.MessageId!, read.CustomId!, read.Id);
                return await KeepAsync(read, () => inbox.ReceiveAsync(action, cancellationToken), DiscordResponses.DeferredUpdate(), cancellationToken);
        }
    }

    /// <summary>
    /// Keeps the interaction's token, then the delivery. The token goes first: the delivery may be handled, and
    /// answered, at once. A delivery the inbox refuses takes its token back out, so nothing of it is kept.
    /// </summary>
    private async Task<JsonObject> KeepAsync(DiscordInteraction read, Func<Task<InboxAdmission>> receive, JsonObject answer, CancellationToken cancellationToken)
    {
        var kept = await interactions.KeepAsync(
            new DiscordInteractionRecord(read.Id, read.Token, read.Kind == DiscordInteractionKind.Press ? DiscordInteractionType.MessageComponent : DiscordInteractionType.ApplicationCommand,
                read.ChannelId, read.User.Id, read.MessageId, time.GetUtcNow()), cancellationToken);
        var admission = await receive();
        switch (admission)
        {
            case InboxAdmission.Full:
                if (kept)
                {
                    await interactions.ForgetAsync(read.Id, CancellationToken.None);
                }

                Log.InteractionBusy(logger, read.Id, read.Kind);
                return DiscordResponses.EphemeralMessage(DiscordResponses.BusyText);
            case InboxAdmission.Duplicate:
                Log.InteractionRepeated(logger, read.Id, read.Kind);
                return answer;
            default:
                Log.InteractionKept(logger, read.Id, read.Kind, read.Destination.ToString());
                return answer;
        }
    }
}
