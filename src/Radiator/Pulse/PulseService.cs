using ChatOps.Integrations.Chat;
using ChatOps.Radiator.Events;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOps.Radiator.Pulse;

/// <summary>
/// Posts each KPI on its schedule: one measurement (one request to the source) per KPI pulse, one
/// short message with a sparkline, nothing when the change is noise, "data late" once per episode.
/// When the source fails it says "degraded" once, keeps ticking, and on recovery says so once and
/// posts every KPI to catch up.
/// </summary>
public sealed class PulseService(
    IEventSource source,
    ChatSenders chat,
    IOptions<PulseOptions> options,
    TimeProvider timeProvider,
    ILogger<PulseService> logger) : BackgroundService
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, long> _lastSlot = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _late = new(StringComparer.OrdinalIgnoreCase);
    private readonly TaskCompletionSource _timerStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _degraded;

    /// <summary>Completes once the schedule's timer exists, so a test clock can be moved past it.</summary>
    internal Task TimerStarted => _timerStarted.Task;

    /// <summary>True while the source is failing and the degraded notice has been posted.</summary>
    public bool IsDegraded => _degraded;

    public IReadOnlyList<KpiOptions> Kpis => options.Value.Kpis;

    /// <summary>Posts every KPI now, moved or not (the <c>/pulse</c> command). Returns how many were posted.</summary>
    public async Task<int> PostNowAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var posted = 0;
            foreach (var kpi in options.Value.Kpis)
            {
                var (measured, report) = await PulseAsync(kpi, force: true, cancellationToken);
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
            var catchingUp = _degraded;
            foreach (var kpi in options.Value.Kpis)
            {
                var slot = now.Ticks / kpi.Every.Ticks;
                if (!catchingUp && _lastSlot.TryGetValue(kpi.Name, out var last) && last == slot)
                {
                    continue;
                }

                var (measured, _) = await PulseAsync(kpi, force: catchingUp, cancellationToken);
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
                await RunDueAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                Log.PulseFailed(logger, ex);
            }
        }
    }

    private async Task<(bool Measured, PulseReport? Posted)> PulseAsync(KpiOptions kpi, bool force, CancellationToken cancellationToken)
    {
        PulseReport report;
        try
        {
            report = await MeasureAsync(kpi, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.SourceFailed(logger, source.Name, kpi.Name, ex);
            if (!_degraded)
            {
                _degraded = true;
                await NotifyAsync($"Pulse degraded: the {source.Name} event source is not answering ({Reason(ex)}). The bot keeps working; pulses resume when it is back.", cancellationToken);
            }

            return (false, null);
        }

        if (_degraded)
        {
            _degraded = false;
            Log.SourceRecovered(logger, source.Name);
            await NotifyAsync($"Pulse recovered: the {source.Name} event source answers again. Catching up now.", cancellationToken);
        }

        var post = force || report.Outcome switch
        {
            PulseOutcome.Post => true,
            PulseOutcome.Late => _late.Add(kpi.Name), // once per episode of lateness
            _ => false,
        };
        if (report.Outcome != PulseOutcome.Late)
        {
            _late.Remove(kpi.Name);
        }
        else if (force)
        {
            _late.Add(kpi.Name);
        }

        if (!post)
        {
            Log.PulseQuiet(logger, kpi.Name, report.Outcome);
            return (true, null);
        }

        var message = new OutgoingMessage
        {
            Text = report.Text,
            Context = [$"{kpi.Name}: {kpi.Aggregation.ToString().ToLowerInvariant()} of {kpi.Key ?? kpi.Name} per {FormatWindow(kpi.Window)}, from {source.Name}"],
            Image = report.Outcome == PulseOutcome.Late ? null : new ChatImage($"{kpi.Name}, last {report.Series.Count} windows", Sparkline.Render(report.Series)),
        };
        var destinations = Destinations.ParseAll(kpi.Channels.Count > 0 ? kpi.Channels : options.Value.Channels);
        foreach (var destination in destinations)
        {
            await PostAsync(destination, message, cancellationToken);
        }

        return (true, report);
    }

    private async Task<PulseReport> MeasureAsync(KpiOptions kpi, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var recent = TimeWindow.Ending(now, kpi.Window, options.Value.SparklineWindows);
        var lastWeek = new TimeWindow(recent[^1].From.AddDays(-7), kpi.Window);
        // The window in progress is not reported (it is incomplete) but shows whether data is arriving.
        var inProgress = new TimeWindow(recent[^1].To, kpi.Window);
        using var timeout = new CancellationTokenSource(options.Value.SourceTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        // One call, so Elasticsearch sees one request per pulse.
        var measured = await source.MeasureAsync(kpi.ToQuery(), [.. recent, inProgress, lastWeek], linked.Token);
        return PulseFormatter.Compose(kpi, measured.Take(recent.Count).ToList(), measured[^1], now, newestInProgress: measured[^2].Latest);
    }

    private async Task NotifyAsync(string text, CancellationToken cancellationToken)
    {
        foreach (var destination in Destinations.ParseAll(options.Value.Channels))
        {
            await PostAsync(destination, OutgoingMessage.Plain(text), cancellationToken);
        }
    }

    private async Task PostAsync(ChatDestination destination, OutgoingMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await chat.For(destination).PostAsync(destination, message, cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A chat outage must not stop the other destinations or the next pulse.
            Log.PostFailed(logger, destination.ToString(), ex);
        }
    }

    private static string Reason(Exception ex) => ex switch
    {
        OperationCanceledException or TimeoutException => "timed out",
        _ => ex.Message.Length > 120 ? ex.Message[..120] + "…" : ex.Message,
    };

    private static string FormatWindow(TimeSpan window) => window.TotalMinutes < 60 ? $"{window.TotalMinutes:0} min" : $"{window.TotalHours:0.#} h";
}
