using System.Globalization;
using ChatOps.Integrations.Chat;
using Microsoft.Extensions.Logging;

namespace ChatOps.Integrations.Slack;

/// <summary>
/// Posts and edits our messages in Slack. A message id is the message's <c>ts</c>, or
/// <c>channel|ts</c> when Slack put it in a different channel than asked (posting to a user id opens
/// a D… channel), because chat.update needs the real channel id. Ordering and pacing per channel are the
/// delivery outbox's: it sends one message of a destination at a time, at the destination's rate.
/// </summary>
internal sealed class SlackChatSender(ISlackWebApi api, ILogger<SlackChatSender> logger) : IChatSender, IChatPostLookup
{
    /// <summary>Our clock and Slack's may disagree; the search starts this much before the post could have been made.</summary>
    internal static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>A page as large as Slack recommends.</summary>
    internal const int LookupPageSize = 200;

    /// <summary>
    /// How many pages a lookup reads before it gives up: a channel busy enough to hide a post further back
    /// would cost more calls than a possible duplicate is worth.
    /// </summary>
    internal const int MaxLookupPages = 10;

    public string Platform => SlackInboundParser.Platform;

    public async Task<string> PostAsync(ChatDestination destination, OutgoingMessage message, string? threadOf = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(message);
        var threadTs = threadOf is null ? null : ParseMessageId(destination, threadOf).Ts;
        var fileId = await UploadImageAsync(message, cancellationToken);
        if (message.VisibleTo is { } user)
        {
            // Shown to one person until they reload; Slack cannot edit it or list it later (see CanFind).
            return await api.PostEphemeralAsync(destination.Channel, user, BlockKitRenderer.Render(message, fileId), threadTs, cancellationToken);
        }

        var posted = await api.PostMessageAsync(destination.Channel, BlockKitRenderer.Render(message, fileId), threadTs, cancellationToken);
        return posted.Channel == destination.Channel ? posted.Ts : $"{posted.Channel}|{posted.Ts}";
    }

    public async Task UpdateAsync(ChatDestination destination, string messageId, OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentNullException.ThrowIfNull(message);
        var (channel, ts) = ParseMessageId(destination, messageId);
        var fileId = await UploadImageAsync(message, cancellationToken);
        await api.UpdateMessageAsync(channel, ts, BlockKitRenderer.Render(message, fileId), cancellationToken);
    }

    /// <summary>
    /// Finds the message whose first block carries <paramref name="deliveryKey"/>'s block id: in the channel's
    /// history, or in the thread of <paramref name="threadOf"/> for a reply (history leaves replies out), from
    /// <paramref name="since"/> less <see cref="ClockSkew"/>. Slack errors are thrown as they come, so a
    /// missing <c>channels:history</c> scope (permanent) differs from an outage (transient).
    /// </summary>
    public async Task<string?> FindPostAsync(ChatDestination destination, string deliveryKey, string? threadOf, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentException.ThrowIfNullOrEmpty(deliveryKey);
        var blockId = BlockKitRenderer.DeliveryBlockId(deliveryKey);
        var (channel, threadTs) = threadOf is null ? (destination.Channel, null) : ParseMessageId(destination, threadOf);
        var oldest = FormatTs(since - ClockSkew);
        string? cursor = null;
        for (var page = 0; page < MaxLookupPages; page++)
        {
            var listed = threadTs is null
                ? await api.GetHistoryAsync(channel, oldest, inclusive: true, LookupPageSize, cursor, cancellationToken)
                : await api.GetRepliesAsync(channel, threadTs, oldest, inclusive: true, LookupPageSize, cursor, cancellationToken);
            var found = listed.Messages.FirstOrDefault(m => m.Ts != threadTs && m.BlockIds.Contains(blockId, StringComparer.Ordinal));
            if (found is not null)
            {
                return channel == destination.Channel ? found.Ts : $"{channel}|{found.Ts}";
            }

            if (listed.NextCursor is not { } next)
            {
                return null;
            }

            cursor = next;
        }

        Log.LookupGaveUp(logger, channel, MaxLookupPages * LookupPageSize);
        return null;
    }

    /// <summary>
    /// An ephemeral message is in no channel's history, so it cannot be found by its block id. The outbox then
    /// posts it again after an attempt whose outcome it never learned: after a crash at that moment the person
    /// may see the answer twice, or not at all if the retry fails. Acceptable for help and refusals, which they
    /// can ask for again; never for run messages, which are public.
    /// </summary>
    public bool CanFind(OutgoingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.VisibleTo is null;
    }

    /// <summary>A Slack ts: Unix seconds with six decimals.</summary>
    internal static string FormatTs(DateTimeOffset at)
    {
        var microseconds = Math.Max(0, (at - DateTimeOffset.UnixEpoch).Ticks / 10);
        return string.Create(CultureInfo.InvariantCulture, $"{microseconds / 1_000_000}.{microseconds % 1_000_000:D6}");
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
