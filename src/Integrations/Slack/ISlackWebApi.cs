namespace ChatOps.Integrations.Slack;

/// <summary>
/// The Slack Web API methods the bot uses. Every method throws <see cref="SlackApiException"/> on
/// <c>ok: false</c> or an HTTP error. A 429 to a method the delivery outbox paces (posts, edits, uploads, history) is
/// thrown at once with its Retry-After, for the outbox to pause the channel; other methods wait it out and retry (bounded) first.
/// </summary>
public interface ISlackWebApi
{
    /// <summary><c>chat.postMessage</c>; a reply in a thread when <paramref name="threadTs"/> is given.</summary>
    Task<SlackPostedMessage> PostMessageAsync(string channel, SlackMessageContent content, string? threadTs = null, CancellationToken cancellationToken = default);

    /// <summary><c>chat.update</c>: replaces a message's text and blocks.</summary>
    Task<SlackPostedMessage> UpdateMessageAsync(string channel, string ts, SlackMessageContent content, CancellationToken cancellationToken = default);

    /// <summary><c>chat.postEphemeral</c>: a message only <paramref name="user"/> sees; returns its message_ts.</summary>
    Task<string> PostEphemeralAsync(string channel, string user, SlackMessageContent content, string? threadTs = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>conversations.history</c>: one page of a channel's messages (newest first, thread replies left out),
    /// after <paramref name="oldest"/> (a Slack ts), from <paramref name="cursor"/> when paging on.
    /// </summary>
    Task<SlackMessagePage> GetHistoryAsync(string channel, string? oldest = null, bool inclusive = false, int limit = 100, string? cursor = null, CancellationToken cancellationToken = default);

    /// <summary><c>conversations.replies</c>: one page of the thread under <paramref name="ts"/>, its parent first.</summary>
    Task<SlackMessagePage> GetRepliesAsync(string channel, string ts, string? oldest = null, bool inclusive = false, int limit = 100, string? cursor = null, CancellationToken cancellationToken = default);

    /// <summary><c>users.info</c>.</summary>
    Task<SlackUser> GetUserAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary><c>files.getUploadURLExternal</c>: step one of an upload.</summary>
    Task<SlackUploadTarget> GetUploadUrlExternalAsync(string fileName, long length, string? altText = null, CancellationToken cancellationToken = default);

    /// <summary>Step two: sends the bytes to the URL from step one.</summary>
    Task UploadFileContentAsync(SlackUploadTarget target, ReadOnlyMemory<byte> content, string fileName, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>files.completeUploadExternal</c>: step three. Without <paramref name="channelId"/> the file
    /// stays private to the app, ready to be shown in an image block.
    /// </summary>
    Task CompleteUploadExternalAsync(IReadOnlyList<SlackFileReference> files, string? channelId = null, string? threadTs = null, string? initialComment = null, CancellationToken cancellationToken = default);

    /// <summary><c>apps.connections.open</c> with the app-level token: a fresh Socket Mode WebSocket URL.</summary>
    Task<Uri> OpenConnectionAsync(CancellationToken cancellationToken = default);
}
