using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using ChatOps.Integrations.Chat.Inbox;
using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Discord.Gateway;

/// <summary>
/// Takes the Gateway's dispatches off the receive loop (so heartbeat acknowledgements keep being read) and handles
/// them one at a time, in the order Discord sent them, since one person's messages must reach the inbox in order. An
/// INTERACTION_CREATE goes to the <see cref="IDiscordInteractionHandler"/> the interactions endpoint uses, and its
/// response to the interaction's callback; a MESSAGE_CREATE addressed to the bot goes into the inbox. Events a resumed
/// session replays arrive again with the same ids, and the inbox's delivery ids make them run once. At shutdown the events
/// already read are still kept: Discord does not send them again to a new session.
/// </summary>
internal sealed class GatewayDispatcher(
    IChatInbox inbox,
    IDiscordInteractionHandler interactions,
    IDiscordRest rest,
    GatewaySession session,
    ILogger<GatewayDispatcher> logger)
{
    public const string InteractionCreate = "INTERACTION_CREATE";
    public const string MessageCreate = "MESSAGE_CREATE";

    // Bounded: a flood waits in Discord's buffer (the receive loop stops reading) rather than in memory.
    private readonly Channel<(string Type, JsonElement Data)> _queue = Channel.CreateBounded<(string, JsonElement)>(
        new BoundedChannelOptions(256) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly ConcurrentDictionary<Task, byte> _callbacks = new();

    /// <summary>Queues a dispatch the bot acts on; the rest are only logged.</summary>
    public ValueTask PostAsync(string type, JsonElement data, CancellationToken cancellationToken)
    {
        if (type is not (InteractionCreate or MessageCreate))
        {
            Log.DispatchIgnored(logger, type);
            return ValueTask.CompletedTask;
        }

        // The payload's document is disposed once the receive loop moves on.
        return _queue.Writer.WriteAsync((type, data.Clone()), cancellationToken);
    }

    /// <summary>Dispatches read and not yet taken for handling (for tests and diagnostics).</summary>
    internal int Waiting => _queue.Reader.Count;

    /// <summary>Takes no more dispatches; <see cref="RunAsync"/> ends once it has handled those queued.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>
    /// Handles queued dispatches until <see cref="Complete"/> was called and all are handled, then waits for callbacks still
    /// being posted. <paramref name="stoppingToken"/> cuts that short: the host's last bound, not the start of a shutdown.
    /// </summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (type, data) in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await (type == InteractionCreate ? InteractionAsync(data, stoppingToken) : MessageAsync(data, stoppingToken));
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // The edge of one event: log it and go on with the next.
                    Log.DispatchFailed(logger, type, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }

        await Task.WhenAll(_callbacks.Keys);
    }

    private async Task MessageAsync(JsonElement message, CancellationToken cancellationToken)
    {
        if (DiscordMessageCommands.Read(message, session.BotUserId, out var reason) is not { } request)
        {
            Log.MessageIgnored(logger, reason);
            return;
        }

        var admission = await inbox.ReceiveAsync(request, cancellationToken);
        Log.MessageKept(logger, request.DeliveryId, admission);
        if (admission == InboxAdmission.Full)
        {
            // Discord cannot be told to send it again: tell the person instead.
            await inbox.TellBusyAsync(request, cancellationToken);
        }
    }

    private async Task InteractionAsync(JsonElement interaction, CancellationToken cancellationToken)
    {
        var id = interaction.ValueKind == JsonValueKind.Object && interaction.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
        var token = interaction.ValueKind == JsonValueKind.Object && interaction.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(token))
        {
            Log.InteractionUnreadable(logger);
            return;
        }

        var response = await interactions.HandleAsync(interaction, cancellationToken);
        // Kept durably by now; answering Discord runs beside the next event, within the interaction's 3 seconds.
        var callback = Task.Run(async () =>
        {
            try
            {
                await rest.CreateInteractionResponseAsync(id, token, response, cancellationToken);
                Log.InteractionAnswered(logger, id);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // A replayed interaction was answered already, or its token expired: Discord refuses a second answer.
                Log.InteractionCallbackFailed(logger, id, e);
            }
            catch (OperationCanceledException)
            {
                // Shutting down.
            }
        }, CancellationToken.None);
        _callbacks.TryAdd(callback, 0);
        _ = callback.ContinueWith(c => _callbacks.TryRemove(c, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
