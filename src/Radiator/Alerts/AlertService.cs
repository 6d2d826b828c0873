using ChatOps.Integrations.Chat;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOps.Radiator.Alerts;

/// <summary>What an acknowledge/resolve/mute did: a refusal reason, or the alerts it changed.</summary>
public sealed record AlertActionResult(string? Refusal, IReadOnlyList<Alert> Alerts)
{
    public bool Succeeded => Refusal is null;
}

/// <summary>
/// The alert lifecycle with its side effects: state is written first, then published to the outbox
/// (which is idempotent per key). Changes and their publishing are serialized per group in this process
/// (<see cref="AlertGates"/>) so an older state's edit can never be queued after a newer one.
/// </summary>
public sealed class AlertService(
    AlertStore store,
    AlertPublisher publisher,
    AlertRouting routing,
    IOptions<AlertOptions> options,
    TimeProvider time,
    ILogger<AlertService> logger) : IDisposable
{
    private readonly AlertGates _gates = new();
    private AlertOptions Options => options.Value;

    public void Dispose() => _gates.Dispose();

    /// <summary>The most alerts of one batch changing at once: enough to fill a shared commit, few enough to bound memory.</summary>
    public const int MaxConcurrentChanges = 64;

    /// <summary>
    /// The most alerts one mute marks message by message (an edit and a thread reply each). A mute of more says so once in
    /// the alert channels: thousands of edits would queue for hours behind a paced channel's new alerts.
    /// </summary>
    public const int MaxMutedMarkedEach = 20;

    /// <summary>Applies a source's report. Re-delivery of the same state changes nothing and posts nothing.</summary>
    public async Task<(Alert Alert, bool Changed)> ReceiveAsync(AlertSignal signal, CancellationToken cancellationToken) =>
        (await ReceiveAsync([signal], cancellationToken))[0];

    /// <summary>
    /// Applies a batch of reports (a webhook's alerts, a page of documents) and returns each one's result in the order
    /// given. Silences and deployments are read once for the batch; reports for different groups change side by side, so
    /// their writes share commits, while reports for one group (or one ungrouped alert) apply one after another, in order.
    /// </summary>
    public async Task<IReadOnlyList<(Alert Alert, bool Changed)>> ReceiveAsync(IReadOnlyList<AlertSignal> signals, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signals);
        var now = time.GetUtcNow();
        var silences = await store.SilencesAsync(now, cancellationToken);
        var deployments = new Dictionary<string, (DateTimeOffset At, string What)?>(StringComparer.OrdinalIgnoreCase);
        foreach (var environment in signals.Select(EnvironmentOf).OfType<string>())
        {
            if (!deployments.ContainsKey(environment))
            {
                deployments[environment] = await store.LastDeploymentAsync(environment, cancellationToken);
            }
        }

        var results = new (Alert Alert, bool Changed)[signals.Count];
        var byGate = signals.Select((signal, index) => (Signal: signal, Index: index))
            .GroupBy(s => AlertGates.KeyOf(AlertLifecycle.GroupOf(s.Signal.Labels, Options), s.Signal.Fingerprint), StringComparer.Ordinal);
        await Parallel.ForEachAsync(byGate, new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentChanges, CancellationToken = cancellationToken }, async (reports, token) =>
        {
            var inOrder = reports.ToList();
            var applied = await ApplyAsync([.. inOrder.Select(r => r.Signal)], reports.Key, now, silences, deployments, token);
            for (var i = 0; i < inOrder.Count; i++)
            {
                results[inOrder[i].Index] = applied[i];
            }
        });
        return results;
    }

    private string? EnvironmentOf(AlertSignal signal) =>
        signal.Labels.FirstOrDefault(l => l.Key.Equals(Options.EnvironmentLabel, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>
    /// Applies one gate's reports in order: their states in one transaction, then what changed published together, so a
    /// burst into one group costs a few commits, not a few per alert.
    /// </summary>
    private async Task<IReadOnlyList<(Alert Alert, bool Changed)>> ApplyAsync(IReadOnlyList<AlertSignal> signals, string gate, DateTimeOffset now,
        IReadOnlyList<AlertSilence> silences, Dictionary<string, (DateTimeOffset At, string What)?> deployments, CancellationToken cancellationToken)
    {
        using (await _gates.EnterAsync(gate, cancellationToken))
        {
            var written = await store.UpdateByFingerprintAsync([.. signals.Select(signal => (signal.Fingerprint, (Func<Alert?, Alert?>)(current =>
            {
                var next = AlertLifecycle.Receive(current, signal, now, Options);
                var deployment = EnvironmentOf(signal) is { } environment ? deployments[environment] : null;
                return ReferenceEquals(next, current) ? current : Prepare(current, next, silences, deployment, now);
            })))], cancellationToken);
            var results = new List<(Alert Alert, bool Changed)>(written.Count);
            for (var i = 0; i < written.Count; i++)
            {
                var (before, after) = written[i];
                var changed = Changed(before, after);
                if (changed)
                {
                    Log.AlertChanged(logger, after!.Id, after.Fingerprint, after.StatusName, signals[i].Source);
                }

                results.Add((after!, changed));
            }

            await publisher.PublishAsync([.. results.Where(r => r.Changed).Select(r => r.Alert)], edit: true, cancellationToken);
            return results;
        }
    }

    public Task<AlertActionResult> AcknowledgeAsync(long id, string who, CancellationToken cancellationToken) =>
        ChangeAsync(id, alert => AlertLifecycle.Acknowledge(alert, who, time.GetUtcNow()), cancellationToken);

    public Task<AlertActionResult> ResolveAsync(long id, string who, CancellationToken cancellationToken) =>
        ChangeAsync(id, alert => AlertLifecycle.Resolve(alert, who, time.GetUtcNow(), Options), cancellationToken);

    /// <summary>Silences every alert matching <paramref name="matcherText"/> for <paramref name="duration"/>, visibly.</summary>
    public async Task<AlertActionResult> MuteAsync(string matcherText, TimeSpan duration, string who, CancellationToken cancellationToken)
    {
        if (!AlertMatcher.TryParse(matcherText, out var matcher, out var error))
        {
            return new AlertActionResult(error, []);
        }

        if (duration <= TimeSpan.Zero || duration > Options.MaxMute)
        {
            return new AlertActionResult($"A mute lasts more than nothing and at most {AlertFormatter.Span(Options.MaxMute)}.", []);
        }

        var now = time.GetUtcNow();
        var until = now + duration;
        var id = await store.AddSilenceAsync(matcher, who, until, cancellationToken);
        var matching = (await store.OpenAsync(cancellationToken)).Where(matcher.Matches).ToList();
        var markEach = matching.Count <= MaxMutedMarkedEach;
        var muted = new List<Alert>();
        foreach (var (gate, alerts) in ByGate(matching))
        {
            muted.AddRange(await MuteAsync(gate, alerts, matcher, who, now, until, markEach, cancellationToken));
        }

        var many = muted.Count == 1 ? "alert" : "alerts";
        var unmarked = markEach ? "" : ", too many to mark each message: each shows it at its next change";
        await publisher.NoticeAsync($"alert-silence:{id}:on", $"🔕 {who} muted `{matcher.Text}` until {ChatTime.Mark(until)} ({muted.Count} open {many}{unmarked}).",
            Destinations.ParseAll(Options.Channels), cancellationToken);
        Log.Muted(logger, matcher.Text, who, until);
        return new AlertActionResult(null, muted);
    }

    /// <summary>
    /// Mutes some alerts of one gate in one transaction (each as stored now, and only if still open and matching), and
    /// publishes what changed together when <paramref name="markEach"/>.
    /// </summary>
    private async Task<IReadOnlyList<Alert>> MuteAsync(string gate, IReadOnlyList<Alert> alerts, AlertMatcher matcher, string who, DateTimeOffset now,
        DateTimeOffset until, bool markEach, CancellationToken cancellationToken)
    {
        using (await _gates.EnterAsync(gate, cancellationToken))
        {
            var written = await store.UpdateByFingerprintAsync([.. alerts.Select(alert => (alert.Fingerprint, (Func<Alert?, Alert?>)(current =>
                current is { Status: not AlertStatus.Resolved } && matcher.Matches(current)
                    ? current with
                    {
                        MutedBy = $"{matcher.Text} by {who}",
                        MutedUntil = until,
                        UpdatedAt = now,
                        NextEscalationAt = null,
                        History = [.. current.History, new AlertTransition(now, $"muted until {AlertStore.Format(until)}", who)],
                    }
                    : current)))], cancellationToken);
            var muted = written.Where(w => Changed(w.Before, w.After)).Select(w => w.After!).ToList();
            foreach (var alert in muted)
            {
                Log.AlertChanged(logger, alert.Id, alert.Fingerprint, alert.StatusName, "chat");
            }

            if (markEach)
            {
                await publisher.PublishAsync(muted, edit: true, cancellationToken);
            }

            return muted;
        }
    }

    public Task<Alert?> GetAsync(long id, CancellationToken cancellationToken) => store.GetAsync(id, cancellationToken);

    public Task<IReadOnlyList<Alert>> ListAsync(bool includeResolved, CancellationToken cancellationToken) =>
        store.ListAsync(includeResolved, 200, cancellationToken);

    /// <summary>Acknowledgement and silence expiries and escalation steps that are due. Called by <see cref="AlertTicker"/>.</summary>
    public async Task TickAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var silence in await store.ExpireSilencesAsync(now, cancellationToken))
        {
            await publisher.NoticeAsync($"alert-silence:{silence.Id}:off", $"🔔 The mute of `{silence.Matcher.Text}` by {silence.CreatedBy} has expired.",
                Destinations.ParseAll(Options.Channels), cancellationToken);
        }

        var silences = await store.SilencesAsync(now, cancellationToken);
        var due = await store.DueAsync(now, cancellationToken);
        // A due moment may come before there is anything to do: check on the snapshot and write only what changes.
        var changing = due.Where(alert => !ReferenceEquals(Due(alert, silences, now), alert)).ToList();
        var markEach = changing.Count(alert => MuteEnds(alert, now)) <= MaxMutedMarkedEach;
        var current = due.ToDictionary(alert => alert.Id);
        foreach (var (gate, alerts) in ByGate(changing))
        {
            foreach (var after in await ApplyDueAsync(gate, alerts, silences, now, markEach, cancellationToken))
            {
                current[after.Id] = after;
            }
        }

        foreach (var alert in due.Select(alert => current[alert.Id]))
        {
            if (alert is { Status: AlertStatus.Firing, NextEscalationAt: { } at } && at <= now && !alert.IsMuted(now))
            {
                await EscalateAsync(alert, now, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Applies what is due to some alerts of one gate in one transaction, each as stored now, and publishes what changed
    /// together; returns the alerts as written. Unless <paramref name="markEach"/> (too many mutes end at once: their
    /// messages were not marked either), an alert whose mute ended is published only for a firing the mute held back.
    /// </summary>
    private async Task<IReadOnlyList<Alert>> ApplyDueAsync(string gate, IReadOnlyList<Alert> alerts, IReadOnlyList<AlertSilence> silences, DateTimeOffset now,
        bool markEach, CancellationToken cancellationToken)
    {
        using (await _gates.EnterAsync(gate, cancellationToken))
        {
            var written = await store.UpdateByFingerprintAsync(
                [.. alerts.Select(alert => (alert.Fingerprint, (Func<Alert?, Alert?>)(stored => stored is null ? null : Due(stored, silences, now))))], cancellationToken);
            var changed = written.Where(w => Changed(w.Before, w.After)).ToList();
            foreach (var (_, after) in changed)
            {
                Log.AlertChanged(logger, after!.Id, after.Fingerprint, after.StatusName, "timer");
            }

            var shown = changed.Where(w => markEach || !MuteEnds(w.Before!, now) || w.Before!.Announced != w.After!.Announced);
            await publisher.PublishAsync([.. shown.Select(w => w.After!)], edit: true, cancellationToken);
            return [.. written.Select(w => w.After).OfType<Alert>()];
        }
    }

    private static bool MuteEnds(Alert alert, DateTimeOffset now) => alert.MutedUntil is { } until && until <= now;

    /// <summary>Known alerts by the gate they change behind, at most <see cref="MaxConcurrentChanges"/> to a transaction.</summary>
    private static IEnumerable<(string Gate, Alert[] Alerts)> ByGate(IEnumerable<Alert> alerts) =>
        alerts.GroupBy(alert => AlertGates.KeyOf(alert.Group, alert.Fingerprint), StringComparer.Ordinal)
            .SelectMany(gate => gate.Chunk(MaxConcurrentChanges).Select(chunk => (gate.Key, chunk)));

    /// <summary>Whether a write stored a new state (the store returns the state as it was when nothing changed).</summary>
    private static bool Changed(Alert? before, Alert? after) => after is not null && !ReferenceEquals(before, after) && after != before;

    /// <summary>
    /// Run at start: queues whatever a crash between a state write and its outbox write left out. Posts and
    /// thread replies are keyed, so they are queued only if missing; edits are re-queued only for alerts
    /// changed within the last 10 minutes (the crash window), so a restart does not re-edit every message.
    /// </summary>
    public Task RepublishAsync(CancellationToken cancellationToken) => RepublishAsync(TimeSpan.FromMinutes(10), cancellationToken);

    /// <summary>As <see cref="RepublishAsync(CancellationToken)"/>, with edits for alerts changed within <paramref name="recent"/>.</summary>
    public async Task RepublishAsync(TimeSpan recent, CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow() - recent;
        using (await _gates.EnterAllAsync(cancellationToken))
        {
            foreach (var alert in await store.ListAsync(true, 1000, cancellationToken))
            {
                await publisher.PublishAsync(alert, edit: alert.UpdatedAt >= since, cancellationToken);
            }
        }
    }

    /// <summary>Remembers a deployment so alerts starting soon after it in the same environment say so.</summary>
    public Task RecordDeploymentAsync(string environment, DateTimeOffset finishedAt, string what, CancellationToken cancellationToken) =>
        store.RecordDeploymentAsync(environment, finishedAt, what, cancellationToken);

    private async Task EscalateAsync(Alert alert, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var steps = routing.EscalationOf(alert);
        var step = alert.EscalationStep;
        if (step >= steps.Count)
        {
            return;
        }

        var result = await ChangeAsync(alert, a => a.EscalationStep != step || a.Status != AlertStatus.Firing
            ? (a, null)
            : (a with
            {
                EscalationStep = step + 1,
                NextEscalationAt = step + 1 < steps.Count ? now + steps[step + 1].Wait : null,
                UpdatedAt = now,
            }, null), cancellationToken, publish: false);
        if (result.Alerts.Count > 0)
        {
            Log.Escalated(logger, alert.Id, step + 1, steps[step].Notify);
            await publisher.EscalateAsync(alert, step + 1, steps[step].Notify, cancellationToken);
        }
    }

    private Alert Due(Alert alert, IReadOnlyList<AlertSilence> silences, DateTimeOffset now)
    {
        var next = AlertLifecycle.ExpireAcknowledgement(alert, now, Options);
        if (next.MutedUntil is { } until && until <= now)
        {
            // The silence ran out: show it, and post a firing that the silence held back.
            next = next with
            {
                MutedUntil = null,
                MutedBy = null,
                UpdatedAt = now,
                Announced = next.Generation,
                History = [.. next.History, new AlertTransition(now, "mute expired", null)],
            };
        }
        else if (next.Announced != next.Generation && !silences.Any(s => s.Matcher.Matches(next)))
        {
            next = next with { Announced = next.Generation, MutedUntil = null, MutedBy = null };
        }

        if (next.Status == AlertStatus.Firing && next.NextEscalationAt is null && next.EscalationStep == 0 && !next.IsMuted(now)
            && routing.EscalationOf(next) is { Count: > 0 } steps)
        {
            next = next with { NextEscalationAt = (alert.Status == AlertStatus.Firing ? next.StartsAt : now) + steps[0].Wait };
        }

        return next;
    }

    private Alert Prepare(Alert? before, Alert next, IReadOnlyList<AlertSilence> silences, (DateTimeOffset At, string What)? deployment, DateTimeOffset now)
    {
        var fired = next.Status == AlertStatus.Firing && (before is null || before.Generation != next.Generation);
        if (!fired)
        {
            return next; // a resolve, or an alert first seen already resolved: nothing new to post
        }

        var silence = silences.FirstOrDefault(s => s.Matcher.Matches(next));
        if (deployment is { } d && next.StartsAt >= d.At && next.StartsAt - d.At <= Options.DeploymentWindow)
        {
            next = next with { DeploymentNote = $"Started {AlertFormatter.Span(next.StartsAt - d.At)} after {d.What}" };
        }

        var steps = routing.EscalationOf(next);
        return next with
        {
            Announced = silence is null ? next.Generation : next.Announced,
            MutedBy = silence is null ? null : $"{silence.Matcher.Text} by {silence.CreatedBy}",
            MutedUntil = silence?.Until,
            NextEscalationAt = silence is null && steps.Count > 0 ? now + steps[0].Wait : null,
        };
    }

    /// <summary>Looks the alert up only to know its group's gate; the change itself reads it again under that gate.</summary>
    private async Task<AlertActionResult> ChangeAsync(long id, Func<Alert, (Alert Alert, string? Refusal)> change, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } known
            ? await ChangeAsync(known, change, cancellationToken)
            : new AlertActionResult($"There is no alert #{id}.", []);

    /// <param name="known">The alert as last read, for its id and its group's gate; <paramref name="change"/> gets it as stored now.</param>
    /// <param name="change">The new state and a refusal, from the state stored now.</param>
    /// <param name="cancellationToken">Cancels the wait for the gate and the writes.</param>
    /// <param name="publish">False when the caller posts what the change means itself.</param>
    private async Task<AlertActionResult> ChangeAsync(Alert known, Func<Alert, (Alert Alert, string? Refusal)> change, CancellationToken cancellationToken, bool publish = true)
    {
        var id = known.Id;
        using (await _gates.EnterAsync(AlertGates.KeyOf(known.Group, known.Fingerprint), cancellationToken))
        {
            string? refusal = null;
            var (before, after) = await store.UpdateByIdAsync(id, alert =>
            {
                var (next, why) = change(alert);
                refusal = why;
                return next;
            }, cancellationToken);
            if (before is null)
            {
                return new AlertActionResult($"There is no alert #{id}.", []);
            }

            if (refusal is not null || after is null || ReferenceEquals(before, after))
            {
                return new AlertActionResult(refusal, []);
            }

            Log.AlertChanged(logger, after.Id, after.Fingerprint, after.StatusName, "chat");
            if (publish)
            {
                await publisher.PublishAsync(after, cancellationToken);
            }

            return new AlertActionResult(null, [after]);
        }
    }
}
