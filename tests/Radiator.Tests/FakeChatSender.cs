using System.Collections.Concurrent;
using ChatOps.Integrations.Chat;
using ChatOps.TestCommon;

namespace ChatOps.Radiator.Tests;

/// <summary>Records every message and edit, as a chat platform would receive them.</summary>
public sealed class FakeChatSender(string platform = "webchat") : IChatSender
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, OutgoingMessage> _shown = [];
    private int _ids;

    public string Platform { get; } = platform;

    public ConcurrentQueue<(ChatDestination Destination, OutgoingMessage Message)> Posts { get; } = new();

    /// <summary>Every edit, in the order it arrived.</summary>
    public ConcurrentQueue<(ChatDestination Destination, string MessageId, OutgoingMessage Message)> Updates { get; } = new();

    /// <summary>The ids handed out, in the order of <see cref="Posts"/>.</summary>
    public ConcurrentQueue<string> PostIds { get; } = new();

    /// <summary>Every post with the id it was given and the message it replies under (null: top level), in arrival order.</summary>
    public ConcurrentQueue<SentPost> Sent { get; } = new();

    public Exception? FailWith { get; set; }

    public Task<string> PostAsync(ChatDestination destination, OutgoingMessage message, string? threadOf = null, CancellationToken cancellationToken = default)
    {
        if (FailWith is { } failure)
        {
            throw failure;
        }

        lock (_lock)
        {
            var id = $"m{++_ids}";
            Posts.Enqueue((destination, message));
            PostIds.Enqueue(id);
            Sent.Enqueue(new SentPost(id, destination, message, threadOf));
            _shown[id] = message;
            return Task.FromResult(id);
        }
    }

    public Task UpdateAsync(ChatDestination destination, string messageId, OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        if (FailWith is { } failure)
        {
            throw failure;
        }

        lock (_lock)
        {
            Assert.True(_shown.ContainsKey(messageId), $"edit of {messageId}, which was never posted");
            Updates.Enqueue((destination, messageId, message));
            _shown[messageId] = message;
        }

        return Task.CompletedTask;
    }

    public List<string> Texts => [.. Posts.Select(p => p.Message.Text)];

    /// <summary>Posts that started a conversation in the channel (not thread replies), in arrival order.</summary>
    public List<SentPost> TopLevel => [.. Sent.Where(p => p.ThreadOf is null)];

    /// <summary>The texts posted in the thread of <paramref name="messageId"/>, in arrival order.</summary>
    public List<string> Replies(string messageId) => [.. Sent.Where(p => p.ThreadOf == messageId).Select(p => p.Message.Text)];

    /// <summary>What the channel shows for a message now: its newest edit, else what was posted.</summary>
    public OutgoingMessage Shown(string messageId)
    {
        lock (_lock)
        {
            return _shown[messageId];
        }
    }

    /// <summary>Waits (bounded) until at least <paramref name="count"/> posts arrived; fails rather than hangs.</summary>
    public async Task WaitForPostsAsync(int count)
    {
        await Wait.UntilAsync(() => Posts.Count >= count, $"{count} posts", lastSeen: () => string.Join(" | ", Texts));
    }
}

/// <summary>One post as the platform took it: its id, where, what, and the message it replies under.</summary>
public sealed record SentPost(string Id, ChatDestination Destination, OutgoingMessage Message, string? ThreadOf);
