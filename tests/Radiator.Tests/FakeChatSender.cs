using System.Collections.Concurrent;
using ChatOps.Integrations.Chat;

namespace ChatOps.Radiator.Tests;

/// <summary>Records every message, as a chat platform would receive it.</summary>
public sealed class FakeChatSender(string platform = "webchat") : IChatSender
{
    private int _ids;

    public string Platform { get; } = platform;

    public ConcurrentQueue<(ChatDestination Destination, OutgoingMessage Message)> Posts { get; } = new();

    public Exception? FailWith { get; set; }

    public Task<string> PostAsync(ChatDestination destination, OutgoingMessage message, string? threadOf = null, CancellationToken cancellationToken = default)
    {
        if (FailWith is { } failure)
        {
            throw failure;
        }

        Posts.Enqueue((destination, message));
        return Task.FromResult($"m{Interlocked.Increment(ref _ids)}");
    }

    public Task UpdateAsync(ChatDestination destination, string messageId, OutgoingMessage message, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public List<string> Texts => [.. Posts.Select(p => p.Message.Text)];

    /// <summary>Waits (bounded) until at least <paramref name="count"/> posts arrived; fails rather than hangs.</summary>
    public async Task WaitForPostsAsync(int count)
    {
        for (var i = 0; i < 500 && Posts.Count < count; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, TestContext.Current.CancellationToken);
        }

        Assert.True(Posts.Count >= count, $"expected {count} posts, got {Posts.Count}: {string.Join(" | ", Texts)}");
    }
}
