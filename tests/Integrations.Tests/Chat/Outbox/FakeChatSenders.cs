using System.Collections.Concurrent;
using ChatOps.Integrations.Chat;

namespace ChatOps.Integrations.Tests.Chat.Outbox;

/// <summary>One call a fake sender received.</summary>
internal sealed record SentCall(string Verb, ChatDestination Destination, OutgoingMessage Message, string? ThreadOf, string MessageId);

/// <summary>Records every post and edit and answers with ids m1, m2…; <see cref="Failures"/> are thrown first, in order.</summary>
internal sealed class RecordingChatSender(string platform = "slack") : IChatSender
{
    private int _next;

    public string Platform => platform;

    public ConcurrentQueue<SentCall> Calls { get; } = new();

    public ConcurrentQueue<Exception> Failures { get; } = new();

    public int Attempts;

    public IEnumerable<SentCall> Posts => Calls.Where(c => c.Verb == "post");

    public Task<string> PostAsync(ChatDestination destination, OutgoingMessage message, string? threadOf = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Attempts);
        if (Failures.TryDequeue(out var failure))
        {
            throw failure;
        }

        var id = $"m{Interlocked.Increment(ref _next)}";
        Calls.Enqueue(new SentCall("post", destination, message, threadOf, id));
        return Task.FromResult(id);
    }

    public Task UpdateAsync(ChatDestination destination, string messageId, OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Attempts);
        if (Failures.TryDequeue(out var failure))
        {
            throw failure;
        }

        Calls.Enqueue(new SentCall("update", destination, message, null, messageId));
        return Task.CompletedTask;
    }
}

/// <summary>A platform error as adapters throw them: optionally permanent, optionally with Retry-After (for a destination or its whole platform).</summary>
internal sealed class FakeSendFailure(string error, TimeSpan? retryAfter = null, bool isPermanent = false, bool platformWide = false) : Exception(error), IChatSendFailure
{
    public TimeSpan? RetryAfter { get; } = retryAfter;

    public bool IsPermanent { get; } = isPermanent;

    public bool RetryAfterIsPlatformWide { get; } = platformWide;
}

/// <summary>
/// A sender that hangs inside its post until released, ignoring cancellation, as a process does that dies
/// mid-request: <see cref="Entered"/> completes when the post is on its way.
/// </summary>
internal sealed class HangingChatSender(string platform = "slack") : IChatSender
{
    private readonly TaskCompletionSource<string> _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Platform => platform;

    public Task Entered => _entered.Task;

    public void Release(string messageId) => _release.TrySetResult(messageId);

    public Task<string> PostAsync(ChatDestination destination, OutgoingMessage message, string? threadOf = null, CancellationToken cancellationToken = default)
    {
        _entered.TrySetResult();
        return _release.Task;
    }

    public Task UpdateAsync(ChatDestination destination, string messageId, OutgoingMessage message, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("This sender only posts.");
}

/// <summary>A sender whose post never answers but honours cancellation, as a stuck HTTP call does.</summary>
internal sealed class StuckChatSender(string platform = "slack") : IChatSender
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Platform => platform;

    public Task Entered => _entered.Task;

    public async Task<string> PostAsync(ChatDestination destination, OutgoingMessage message, string? threadOf = null, CancellationToken cancellationToken = default)
    {
        _entered.TrySetResult();
        await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, cancellationToken);
        throw new InvalidOperationException("unreachable");
    }

    public Task UpdateAsync(ChatDestination destination, string messageId, OutgoingMessage message, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("This sender only posts.");
}

/// <summary>
/// A <see cref="RecordingChatSender"/> that can also be asked whether a post is already there: it finds the
/// posts it recorded by their delivery key, or answers with <see cref="LookupFailures"/> first.
/// </summary>
internal sealed class LookupChatSender(string platform = "slack") : IChatSender, IChatPostLookup
{
    public RecordingChatSender Inner { get; } = new(platform);

    public string Platform => platform;

    public ConcurrentQueue<Exception> LookupFailures { get; } = new();

    public ConcurrentQueue<(string DeliveryKey, string? ThreadOf, DateTimeOffset Since)> Lookups { get; } = new();

    /// <summary>Posts the platform holds without the sender having answered for them, as after a crash.</summary>
    public ConcurrentDictionary<string, string> Planted { get; } = new(StringComparer.Ordinal);

    public Task<string> PostAsync(ChatDestination destination, OutgoingMessage message, string? threadOf = null, CancellationToken cancellationToken = default) =>
        Inner.PostAsync(destination, message, threadOf, cancellationToken);

    public Task UpdateAsync(ChatDestination destination, string messageId, OutgoingMessage message, CancellationToken cancellationToken = default) =>
        Inner.UpdateAsync(destination, messageId, message, cancellationToken);

    public Task<string?> FindPostAsync(ChatDestination destination, string deliveryKey, string? threadOf, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        Lookups.Enqueue((deliveryKey, threadOf, since));
        if (LookupFailures.TryDequeue(out var failure))
        {
            throw failure;
        }

        if (Planted.TryGetValue(deliveryKey, out var planted))
        {
            return Task.FromResult<string?>(planted);
        }

        var posted = Inner.Posts.FirstOrDefault(p => p.Message.DeliveryKey == deliveryKey);
        return Task.FromResult(posted?.MessageId);
    }
}

/// <summary>
/// Posts through a real sender and then never returns, as a process killed right after the platform took
/// the post: the platform has it, the outbox never learns its id.
/// </summary>
internal sealed class DiesAfterPostingSender(IChatSender inner) : IChatSender
{
    private readonly TaskCompletionSource _posted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Platform => inner.Platform;

    public Task Posted => _posted.Task;

    public async Task<string> PostAsync(ChatDestination destination, OutgoingMessage message, string? threadOf = null, CancellationToken cancellationToken = default)
    {
        await inner.PostAsync(destination, message, threadOf, cancellationToken);
        _posted.TrySetResult();
        return await new TaskCompletionSource<string>().Task;
    }

    public Task UpdateAsync(ChatDestination destination, string messageId, OutgoingMessage message, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("This sender only posts.");
}
