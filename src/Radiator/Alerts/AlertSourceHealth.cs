using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace ChatOps.Radiator.Alerts;

/// <summary>
/// Each alert source's health: one "degraded" notice when it starts failing and one "recovered" when it
/// answers again, and the figures for <c>/metrics</c>. The open outage lives in the state store, so a
/// restart while degraded neither repeats the "degraded" notice nor forgets the "recovered" one; notices
/// are keyed by the outage's start, so queueing one again after a crash is a no-op.
/// </summary>
internal sealed class AlertSourceHealth(AlertPublisher publisher, AlertWatchStore watch, IOptions<AlertOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, SourceState> _sources = new(StringComparer.Ordinal);

    public async Task SucceededAsync(string source, DateTimeOffset? newest, CancellationToken cancellationToken)
    {
        var state = _sources.GetOrAdd(source, _ => new SourceState());
        var now = time.GetUtcNow();
        bool known;
        lock (state)
        {
            known = state.Loaded && state.FailingSince is null;
            state.LastSuccess = now;
            state.Newest = newest ?? state.Newest;
        }

        // Healthy and already checked against the store in this process: nothing to close.
        if (known || await watch.OutageAsync(source, cancellationToken) is not { } since)
        {
            MarkHealthy(state);
            return;
        }

        // The notice first, then close the outage: a crash in between re-queues the same key, a no-op.
        await publisher.NoticeAsync(NoticeKey(source, since, "recovered"),
            $"✅ Alert source *{source}* recovered after {AlertFormatter.Span(now - since)}; catching up from where it stopped.",
            Destinations.ParseAll(options.Value.Channels), cancellationToken);
        await watch.EndOutageAsync(source, since, cancellationToken);
        MarkHealthy(state);
    }

    public async Task FailedAsync(string source, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var state = _sources.GetOrAdd(source, _ => new SourceState());
        lock (state)
        {
            state.Failures++;
        }

        var (since, noticed) = await watch.FailedAsync(source, time.GetUtcNow(), cancellationToken);
        lock (state)
        {
            state.FailingSince = since;
            state.Loaded = true;
        }

        if (!noticed)
        {
            await publisher.NoticeAsync(NoticeKey(source, since, "degraded"),
                $"⚠️ Alerts degraded: source *{source}* is not answering ({Short(exception.Message)}). Alerts from it will arrive late, none will be lost.",
                Destinations.ParseAll(options.Value.Channels), cancellationToken);
            await watch.NoticedAsync(source, since, cancellationToken);
        }
    }

    public bool IsDegraded(string source) => _sources.TryGetValue(source, out var s) && s.FailingSince is not null;

    /// <summary>Each source's health, for <see cref="AlertMetrics"/>, in name order.</summary>
    public IReadOnlyList<AlertSourceStatus> Snapshot()
    {
        var now = time.GetUtcNow();
        var list = new List<AlertSourceStatus>();
        foreach (var (name, state) in _sources.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            lock (state)
            {
                // Lag: how far behind the source the radiator may be, i.e. the time since everything up to then was read.
                // The newest alert document read: old is normal for a quiet index, so that is information, not an error.
                list.Add(new AlertSourceStatus(name, state.FailingSince is null, state.Failures, AgeOf(state.LastSuccess), AgeOf(state.Newest)));
            }
        }

        return list;

        TimeSpan? AgeOf(DateTimeOffset? at) => at is { } value ? (now - value) > TimeSpan.Zero ? now - value : TimeSpan.Zero : null;
    }

    private static string NoticeKey(string source, DateTimeOffset since, string what) =>
        $"alert-source:{source}:{since.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}:{what}";

    private static void MarkHealthy(SourceState state)
    {
        lock (state)
        {
            state.FailingSince = null;
            state.Loaded = true;
        }
    }

    private static string Short(string text) => text.Length <= 160 ? text : text[..160] + "…";

    private sealed class SourceState
    {
        public DateTimeOffset? FailingSince { get; set; }

        public DateTimeOffset? LastSuccess { get; set; }

        public DateTimeOffset? Newest { get; set; }

        public long Failures { get; set; }

        /// <summary>Whether the store's outage has been read or written in this process, so memory mirrors it.</summary>
        public bool Loaded { get; set; }
    }
}

/// <summary>One alert source's health: whether it answers, how often it failed, and the ages of its last complete read and newest alert.</summary>
internal sealed record AlertSourceStatus(string Source, bool Up, long Failures, TimeSpan? Lag, TimeSpan? NewestAge);
