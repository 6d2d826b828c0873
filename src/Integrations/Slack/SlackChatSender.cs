using ChatOps.Integrations.Chat;
using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Slack;

/// <summary>
/// Posts and edits our messages in Slack. A message id is the message's <c>ts</c>, or
/// <c>channel|ts</c> when Slack put it in a different channel than asked (posting to a user id opens
/// a D… channel), because chat.update needs the real channel id.
/// </summary>
public sealed class SlackChatSender(ISlackWebApi api, SlackChannelSequencer sequencer, ILogger<SlackChatSender> logger) : IChatSender
{
    public string Platform => SlackInboundParser.Platform;

    public Task<string> PostAsync(ChatDestination destination, OutgoingMessage message, string? threadOf = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(message);
        var threadTs = threadOf is null ? null : ParseMessageId(destination, threadOf).Ts;
        return sequencer.RunAsync(destination.Channel, async ct =>
        {
            var fileId = await UploadImageAsync(message, ct);
            var posted = await api.PostMessageAsync(destination.Channel, BlockKitRenderer.Render(message, fileId), threadTs, ct);
            return posted.Channel == destination.Channel ? posted.Ts : $"{posted.Channel}|{posted.Ts}";
        }, cancellationToken);
    }

    public Task UpdateAsync(ChatDestination destination, string messageId, OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentNullException.ThrowIfNull(message);
        var (channel, ts) = ParseMessageId(destination, messageId);
        // Edits share the channel's queue with posts, so edits to one message land in order.
        return sequencer.RunAsync(channel, async ct =>
        {
            var fileId = await UploadImageAsync(message, ct);
            return await api.UpdateMessageAsync(channel, ts, BlockKitRenderer.Render(message, fileId), ct);
        }, cancellationToken);
    }

    internal static (string Channel, string Ts) ParseMessageId(ChatDestination destination, string messageId)
    {
        var bar = messageId.IndexOf('|', StringComparison.Ordinal);
        return bar < 0 ? (destination.Channel, messageId) : (messageId[..bar], messageId[(bar + 1)..]);
    }

    /// <summary>
    /// Uploads the picture privately (no channel) so the message can show it in an image block with
    /// its buttons and text, as one message that later edits keep.
    /// </summary>
    private async Task<string?> UploadImageAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        if (message.Image is not { } image || image.Png.IsEmpty)
        {
            return null;
        }

        const string fileName = "image.png";
        var target = await api.GetUploadUrlExternalAsync(fileName, image.Png.Length, image.AltText, cancellationToken);
        await api.UploadFileContentAsync(target, image.Png, fileName, cancellationToken);
        await api.CompleteUploadExternalAsync([new SlackFileReference(target.FileId, image.AltText)], cancellationToken: cancellationToken);
        Log.ImageUploaded(logger, target.FileId, image.Png.Length);
        return target.FileId;
    }
}
