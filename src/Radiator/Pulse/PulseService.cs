using System.Globalization;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Outbox;
using ChatOps.Integrations.Coordination;
using ChatOps.Radiator.Events;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOps.Radiator.Pulse;

/// <summary>
/// Posts each KPI on its schedule: one measurement (one request to the source) per KPI pulse, one
/// short message with a sparkline, nothing when the change is noise, "data late" once per episode.
/// When the source fails it says "degraded" once, keeps ticking, and on recovery says so once and
/// posts every KPI to catch up. Messages go through the outbox, keyed by KPI, window and destination,
/// so a window queued twice (a restart, a retried round, a replica taking the schedule over) is posted once. With
/// several replicas, only the one holding the <see cref="Schedule"/> lease posts on schedule.
/// </summary>
public sealed class PulseService(
    IEventSource source,
    IChatOutbox outbox,
    IOptions<PulseOptions> options,
    TimeProvider timeProvider,
    ILogger<PulseService> logger,
    IScheduleOwnership? ownership = null) : BackgroundService
{
    /// <summary>The schedule's name among the replicas' leases.</summary>
    public const string Schedule = "pulse";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, long> _lastSlot = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _late = new(StringComparer.OrdinalIgnoreCase);
    private readonly TaskCompletionSource _timerStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // When the current episode of source failure began; it keys that episode's two notices.
    private DateTimeOffset? _degradedSince;
    private bool _degradedNoticeQueued;

    /// <summary>Completes once the schedule's timer exists, so a test clock can be moved past it.</summary>
    internal Task TimerStarted => _timerStarted.Task;

    /// <summary>True from the source's first failure until it answers again.</summary>
    public bool IsDegraded => _degradedSince is not null;

    public IReadOnlyList<KpiOptions> Kpis => options.Value.Kpis;

    /// <summary>Posts every KPI now, moved or not (the <c>/pulse</c> command). Returns how many were queued.</summary>
    public Task<int> PostNowAsync(CancellationToken cancellationToken) => PostNowAsync(requestId: null, cancellationToken);

    /// <summary>Posts every KPI now, moved or not. Returns how many were queued.</summary>
    /// <param name="requestId">
    /// Identifies the request (a chat delivery id, an idempotency key), so the same request delivered
    /// twice posts once; null when it has none, and then every call posts.
    /// </param>
    /// <param name="cancellationToken">Cancels the measurement and the outbox writes.</param>
    public async Task<int> PostNowAsync(string? requestId, CancellationToken cancellationToken)
    {
        // Without a request id there is nothing to recognise a repeat by, so the request is its own key.
        var request = "now-" + (string.IsNullOrWhiteSpace(requestId) ? Guid.NewGuid().ToString("N") : requestId);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var posted = 0;
            foreach (var kpi in options.Value.Kpis)
            {
                var (measured, report) = await PulseAsync(kpi, force: true, request, cancellationToken);
                if (!measured)
                {
                    break;
                }

                posted += report is null ? 0 : 1;
            }

            return posted;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>What the pulse would say about one KPI now, without posting; null for an unknown KPI.</summary>
    public async Task<PulseReport?> ReadAsync(string kpiName, CancellationToken cancellationToken)
    {
        var kpi = options.Value.Kpis.FirstOrDefault(k => string.Equals(k.Name, kpiName, StringComparison.OrdinalIgnoreCase));
        return kpi is null ? null : await MeasureAsync(kpi, cancellationToken);
    }

    /// <summary>Posts the KPIs that are due (and all of them when catching up after a failure).</summary>
    public async Task RunDueAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = timeProvider.GetUtcNow();
            var catchingUp = IsDegraded;
            foreach (var kpi in options.Value.Kpis)
            {
                var slot = now.Ticks / kpi.Every.Ticks;
                if (!catchingUp && _lastSlot.TryGetValue(kpi.Name, out var last) && last == slot)
                {
                    continue;
                }

                var (measured, _) = await PulseAsync(kpi, force: catchingUp, request: null, cancellationToken);
                if (!measured)
                {
                    // The source is failing: one attempt per tick is enough to notice it is back.
                    return;
                }

                _lastSlot[kpi.Name] = slot;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            return;
        }

        // The first pulse of each KPI is at its next schedule boundary, not at start-up.
        var now = timeProvider.GetUtcNow();
        foreach (var kpi in o.Kpis)
        {
            _lastSlot[kpi.Name] = now.Ticks / kpi.Every.Ticks;
        }

        using var timer = new PeriodicTimer(o.Tick, timeProvider);
        _timerStarted.TrySetResult();
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                // Without an ownership (a tool hosting the pulse alone) this process is the only one.
                if (ownership is null || await ownership.HoldsAsync(Schedule, stoppingToken))
                {
                    await RunDueAsync(stoppingToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                Log.PulseFailed(logger, ex);
            }
        }
    }

    /// <param name="kpi">The KPI to measure.</param>
    /// <param name="force">Post whatever the outcome (<c>/pulse</c>, catching up).</param>
    /// <param name="request">Null on schedule; otherwise the on-demand request, which gets keys of its own.</param>
    /// <param name="cancellationToken">Cancels the measurement and the outbox writes.</param>
    private async Task<(bool Measured, PulseReport? Posted)> PulseAsync(KpiOptions kpi, bool force, string? request, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        PulseReport report;
        try
        {
            report = await MeasureAsync(kpi, now, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.SourceFailed(logger, source.Name, kpi.Name, ex);
            _degradedSince ??= now;
            if (!_degradedNoticeQueued)
            {
                await NotifyAsync($"pulse-notice:degraded:{Stamp(_degradedSince.Value)}",
                    $"Pulse degraded: the {source.Name} event source is not answering ({Reason(ex)}). The bot keeps working; pulses resume when it is back.", cancellationToken);
                _degradedNoticeQueued = true;
            }

            return (false, null);
        }

        if (_degradedSince is { } since)
        {
            Log.SourceRecovered(logger, source.Name);
            // Keyed by the episode, so a round that fails after this write does not say "recovered" twice.
            await NotifyAsync($"pulse-notice:recovered:{Stamp(since)}", $"Pulse recovered: the {source.Name} event source answers again. Catching up now.", cancellationToken);
            _degradedSince = null;
            _degradedNoticeQueued = false;
        }

        var late = report.Outcome == PulseOutcome.Late;
        var post = force || report.Outcome switch
        {
            PulseOutcome.Post => true,
            PulseOutcome.Late => !_late.Contains(kpi.Name), // once per episode of lateness
            _ => false,
        };
        if (!post)
        {
            if (!late)
            {
                _late.Remove(kpi.Name);
            }

            Log.PulseQuiet(logger, kpi.Name, report.Outcome);
            return (true, null);
        }

        var message = new OutgoingMessage
        {
            Text = report.Text,
            Context = [PulseFormatter.Caption(kpi, late ? null : report.Series.Count)],
            Image = late ? null : new ChatImage(PulseFormatter.Describe(report), Sparkline.Render(report.Series, report.Window)),
        };
        // The reported window, not the clock, names the post: measuring the same window again (after a
        // restart, or a round retried after an outbox failure) finds the key taken and posts nothing new.
        // "Late" is part of the key because data arriving later in the same window still deserves its pulse.
        var windowEnd = Stamp(TimeWindow.Ending(now, kpi.Window, 1)[0].To);
        var prefix = $"pulse:{kpi.Name}:{windowEnd}" + (late ? ":late" : "") + (request is null ? "" : $":{request}");
        var destinations = Destinations.ParseAll(kpi.Channels.Count > 0 ? kpi.Channels : options.Value.Channels);
        foreach (var destination in destinations)
        {
            await outbox.EnqueuePostAsync($"{prefix}:{destination}", destination, message, digestAs: "pulse", cancellationToken: cancellationToken);
        }

        // Remembered only once queued: a round that failed to write tries the same pulse again.
        if (late)
        {
            _late.Add(kpi.Name);
        }
        else
        {
            _late.Remove(kpi.Name);
        }

        return (true, report);
    }

    private Task<PulseReport> MeasureAsync(KpiOptions kpi, CancellationToken cancellationToken) => MeasureAsync(kpi, timeProvider.GetUtcNow(), cancellationToken);

    private async Task<PulseReport> MeasureAsync(KpiOptions kpi, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // "The last 5 minutes" are the five whole minutes before this one, whatever the clock says.
        var recent = TimeWindow.Before(now, kpi.Window, options.Value.SparklineWindows);
        var lastWeek = new TimeWindow(recent[^1].From.AddDays(-7), kpi.Window);
        // The minute in progress is not reported with the others (it is incomplete) but shows whether data is arriving.
        var inProgress = new TimeWindow(recent[^1].To, kpi.Window);
        using var timeout = new CancellationTokenSource(options.Value.SourceTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        // One call, so Elasticsearch sees one request per pulse.
        var measured = await source.MeasureAsync(kpi.ToQuery(), [.. recent, inProgress, lastWeek], linked.Token);
        return PulseFormatter.Compose(kpi, measured.Take(recent.Count).ToList(), measured[^1], now, inProgress: measured[^2]);
    }

    private async Task NotifyAsync(string key, string text, CancellationToken cancellationToken)
    {
        foreach (var destination in Destinations.ParseAll(options.Value.Channels))
        {
            await outbox.EnqueuePostAsync($"{key}:{destination}", destination, OutgoingMessage.Plain(text), cancellationToken: cancellationToken);
        }
    }

    private static string Stamp(DateTimeOffset at) => at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static string Reason(Exception ex) => ex switch
    {
        OperationCanceledException or TimeoutException => "timed out",
        _ => ex.Message.Length > 120 ? ex.Message[..120] + "…" : ex.Message,
    };
}
