using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Coordination;

/// <summary>
/// Keeps this replica alive in the state store: registers it at start (refusing a name a live replica holds),
/// renews its heartbeat and its schedule leases every <see cref="ReplicaOptions.HeartbeatInterval"/>, and on a clean
/// stop releases its schedules and removes its row, so the others take over at once rather than after
/// <see cref="ReplicaOptions.DeadAfter"/>. Each registration and heartbeat also reads the replica list into
/// <see cref="LiveReplicas"/>, which divides the outbox's send budgets. Registered before every service that holds work.
/// </summary>
public sealed class ReplicaHeartbeat(
    ReplicaStore replicas,
    ScheduleLeaseStore leases,
    ScheduleOwnership ownership,
    ReplicaIdentity self,
    LiveReplicas live,
    IOptions<ReplicaOptions> options,
    TimeProvider time,
    ILogger<ReplicaHeartbeat> logger,
    ReplicaSettingsHealthCheck? settingsCheck = null,
    ReplicaClockHealthCheck? clockCheck = null) : BackgroundService
{
    /// <summary>Replicas silent this long are forgotten; their work was recovered long before.</summary>
    private static readonly TimeSpan ForgetAfter = TimeSpan.FromDays(1);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private DateTimeOffset? _registeredAt;
    private int _loggedCount = 1;

    /// <summary>
    /// Registers this replica once (the process's entry point does it before anything listens, to say a refusal in
    /// one line; the host's start does it otherwise).
    /// </summary>
    /// <exception cref="ReplicaNameInUseException">A live replica already has this name.</exception>
    public async Task RegisterAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_registeredAt is not null)
            {
                return;
            }

            if (await replicas.RegisterAsync(self, cancellationToken) is { } holder)
            {
                throw new ReplicaNameInUseException(holder, options.Value.DeadAfter);
            }

            _registeredAt = time.GetUtcNow();
            Log.Registered(logger, self.Name, self.Host, self.ProcessId);
            var forgotten = await replicas.PruneAsync(_registeredAt.Value - ForgetAfter, cancellationToken);
            if (forgotten > 0)
            {
                Log.Forgotten(logger, forgotten);
            }

            // Before anything sends: a replica joining others takes its share of each budget from its first message.
            await CountReplicasAsync(cancellationToken);
            await CompareClockAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await RegisterAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    /// <summary>One heartbeat: the replica's row and the leases it holds. For tests that drive the clock.</summary>
    public async Task BeatAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await replicas.BeatAsync(self, _registeredAt ?? now, cancellationToken);
        await leases.RenewAllAsync(self.Name, now, now + options.Value.DeadAfter, cancellationToken);
        await CountReplicasAsync(cancellationToken);
        await CompareClockAsync(cancellationToken);
    }

    /// <summary>This replica's clock against the database server's, reported to the health check and logged when that changes.</summary>
    private async Task CompareClockAsync(CancellationToken cancellationToken)
    {
        if (clockCheck is null || await replicas.ClockOffsetAsync(cancellationToken) is not { } offset)
        {
            return;
        }

        if (clockCheck.Report(offset, self.ClockTolerance))
        {
            if (clockCheck.Problem is { } problem)
            {
                Log.ClockOff(logger, self.Name, problem);
            }
            else
            {
                Log.ClockAgrees(logger, self.Name);
            }
        }
    }

    private async Task CountReplicasAsync(CancellationToken cancellationToken)
    {
        var rows = await replicas.ListAsync(cancellationToken);
        live.Refresh(rows);
        CompareSettings(rows);
        var count = live.CountAt(time.GetUtcNow());
        // Compared with the count last logged, not the one before this read: a death is seen by time, between reads.
        if (Interlocked.Exchange(ref _loggedCount, count) != count)
        {
            Log.LiveReplicasChanged(logger, self.Name, count);
        }
    }

    /// <summary>The live replicas whose shared settings differ from this one's, reported to the health check and logged when that changes.</summary>
    private void CompareSettings(IEnumerable<ReplicaRow> rows)
    {
        if (settingsCheck is null)
        {
            return;
        }

        var deadBefore = self.DeadBefore(time.GetUtcNow());
        var differing = rows
            .Where(r => r.Name != self.Name && r.BeatAt.ToUnixTimeMilliseconds() > deadBefore)
            .OrderBy(r => r.Name, StringComparer.Ordinal)
            .Select(r => (r.Name, ReplicaSettings.Differing(self.Settings, r.Settings)))
            .ToList();
        if (settingsCheck.Report(differing) && settingsCheck.Differences is { } differences)
        {
            Log.SettingsDiffer(logger, self.Name, differences);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await BeatAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // A missed beat is not a death: DeadAfter spans several. Many missed ones are, and the others recover.
                    Log.BeatFailed(logger, self.Name, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_registeredAt is null)
        {
            return;
        }

        try
        {
            await leases.ReleaseAllAsync(self.Name, cancellationToken);
            ownership.Forget();
            await replicas.RemoveAsync(self.Name, cancellationToken);
            Log.Removed(logger, self.Name);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The others hold it dead after DeadAfter instead.
            Log.RemoveFailed(logger, self.Name, e);
        }
    }

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }
}
