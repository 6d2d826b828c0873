using System.Diagnostics;
using System.Net.ServerSentEvents;
using System.Text.Json;
using ChatOps.TestCommon;

namespace ChatOps.Bench.CommandRoundTrip;

/// <summary>
/// One subscription to the Bot's event stream for the whole run. Every event is stamped when it
/// arrives and kept per channel, so a reply that overtakes its own 202 is still found, and a
/// round trip ends when the event arrived, not when a waiting task got round to looking.
/// </summary>
public sealed class ChatStream : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<StreamedMessage>> _byChannel = new(StringComparer.Ordinal);
    private readonly List<Waiter> _waiters = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _http;
    private Task _reading = Task.CompletedTask;

    public ChatStream(HttpClient http)
    {
        _http = http;
    }

    /// <summary>
    /// Subscribes as <paramref name="viewer"/>: the stream carries every channel's shared messages and, of
    /// the answers meant for one person (help, refusals), only those addressed to the viewer. Builds
    /// before the stream's <c>ready</c> event sent its headers only with the first event, so the request
    /// might not complete on its own: <paramref name="primeAsync"/> posts something, and is repeated
    /// (bounded) in case it raced ahead of the subscription being registered.
    /// </summary>
    public async Task ConnectAsync(Uri address, string viewer, Func<CancellationToken, Task> primeAsync, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(primeAsync);
        var request = _http.GetAsync(new Uri(address, $"/api/chat/stream?user={Uri.EscapeDataString(viewer)}"), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await Wait.UntilAsync(
            async () =>
            {
                await primeAsync(cancellationToken);
                await Task.WhenAny(request, Task.Delay(TimeSpan.FromSeconds(1), TimeProvider.System, cancellationToken));
                return request.IsCompleted;
            },
            "the event stream's headers");
        var response = await request;
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        _reading = Task.Run(() => ReadAsync(response, body, _stop.Token), CancellationToken.None);
    }

    /// <summary>
    /// The first bot message in <paramref name="channel"/> after <paramref name="afterId"/> that
    /// satisfies <paramref name="match"/>, as first seen (a post, or the edit that made it match).
    /// </summary>
    public Task<StreamedMessage> NextAsync(string channel, string afterId, Func<StreamedMessage, bool> match, TimeSpan limit, CancellationToken cancellationToken)
    {
        var after = StreamedMessage.Seq(afterId);
        bool Wanted(StreamedMessage m) => m.User == "bot" && m.ThreadOf is null && m.Sequence > after && match(m);
        var waiter = new Waiter(channel, Wanted);
        lock (_gate)
        {
            if (_byChannel.TryGetValue(channel, out var seen))
            {
                // Each caller owns its channel and only moves forward, so older events are done with.
                seen.RemoveAll(m => m.Sequence <= after);
                if (seen.FirstOrDefault(Wanted) is { } already)
                {
                    return Task.FromResult(already);
                }
            }

            _waiters.Add(waiter);
        }

        return WaitAsync(waiter, limit, cancellationToken);
    }

    /// <summary>
    /// Waits until <paramref name="count"/> top-level bot messages have been posted in <paramref name="channel"/> after
    /// <paramref name="afterId"/>: the answers to a burst of posts, in a channel only that burst's client uses.
    /// </summary>
    public async Task UntilCountAsync(string channel, string afterId, int count, TimeSpan limit, CancellationToken cancellationToken)
    {
        var after = StreamedMessage.Seq(afterId);
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            int seen;
            lock (_gate)
            {
                seen = _byChannel.TryGetValue(channel, out var messages)
                    ? messages.Count(m => m.User == "bot" && m.ThreadOf is null && m.Sequence > after && m.Version == 1)
                    : 0;
            }

            if (seen >= count)
            {
                return;
            }

            if (Stopwatch.GetElapsedTime(started) > limit)
            {
                throw new TimeoutException($"Only {seen} of {count} bot messages in #{channel} within {limit.TotalSeconds:0.#} s.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _reading;
        }
        catch (OperationCanceledException)
        {
            // Expected: we closed it.
        }

        _stop.Dispose();
    }

    private async Task<StreamedMessage> WaitAsync(Waiter waiter, TimeSpan limit, CancellationToken cancellationToken)
    {
        try
        {
            return await waiter.Found.Task.WaitAsync(limit, TimeProvider.System, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No matching bot message in #{waiter.Channel} within {limit.TotalSeconds:0.#} s.");
        }
        finally
        {
            lock (_gate)
            {
                _waiters.Remove(waiter);
            }
        }
    }

    private async Task ReadAsync(HttpResponseMessage response, Stream body, CancellationToken cancellationToken)
    {
        using (response)
        await using (body)
        {
            var parser = SseParser.Create(body, (type, data) => type == "message" ? JsonSerializer.Deserialize<StreamedMessage>(data, JsonDefaults.Web) : null);
            await foreach (var item in parser.EnumerateAsync(cancellationToken))
            {
                if (item.Data is { } message)
                {
                    Deliver(message with { ArrivedAt = Stopwatch.GetTimestamp() });
                }
            }
        }
    }

    private void Deliver(StreamedMessage message)
    {
        lock (_gate)
        {
            if (!_byChannel.TryGetValue(message.Channel, out var seen))
            {
                _byChannel[message.Channel] = seen = [];
            }

            seen.Add(message);
            foreach (var waiter in _waiters)
            {
                if (waiter.Channel == message.Channel && waiter.Match(message))
                {
                    waiter.Found.TrySetResult(message);
                }
            }
        }
    }

    private sealed record Waiter(string Channel, Func<StreamedMessage, bool> Match)
    {
        public TaskCompletionSource<StreamedMessage> Found { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>The fields of a web chat message that the benchmark looks at.</summary>
public sealed record StreamedMessage(string Id, string Channel, string User, string Text, string? ThreadOf, int Version, IReadOnlyList<StreamedButton>? Buttons)
{
    /// <summary>When the event arrived, in <see cref="Stopwatch"/> ticks.</summary>
    public long ArrivedAt { get; init; }

    public long Sequence => Seq(Id);

    /// <summary>The order number of a web chat id, <c>m{sequence}-{tag}</c> (the tag only makes it unguessable).</summary>
    public static long Seq(string id)
    {
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        return long.Parse(dash < 0 ? id.AsSpan(1) : id.AsSpan(1, dash - 1), System.Globalization.CultureInfo.InvariantCulture);
    }
}

public sealed record StreamedButton(string ActionId, string Label);
