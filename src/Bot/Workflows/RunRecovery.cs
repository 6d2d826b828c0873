using ChatOps.Bot.Audit;
using ChatOps.Bot.Environments;
using ChatOps.Bot.Hosting;
using ChatOps.Integrations.Coordination;
using ChatOps.Integrations.Infrastructure;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Workflows;

/// <summary>
/// At start-up, before the bot acts (the store's tables exist by then): reconciles every environment with its
/// provider (adopting healthy nodes, stopping orphans; a replica's local nodes are its own), marks runs left in flight
/// by a replica that is no longer alive as interrupted, releases their leases, and edits their messages to say so.
/// Then, once the bot is ready, it announces runs that finished (or were just interrupted) without being announced:
/// in the background, because the deployment feed may wait on an Elasticsearch that is down, and that must not hold
/// up the bot. While the bot runs it looks again every <see cref="ReplicaOptions.HeartbeatInterval"/>: a replica
/// that dies (kill -9, a lost machine) leaves its runs to the others, never a live replica's.
/// </summary>
internal sealed class RunRecovery(
    RunStore runs,
    EnvironmentCatalog environments,
    ComputeProviders providers,
    RunMessages messages,
    RunKinds kinds,
    RunObservers observers,
    AuditTrail audit,
    ReadinessGate readiness,
    IOptions<ReplicaOptions> replicas,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<RunRecovery> logger) : IHostedService
{
    private Task _catchUp = Task.CompletedTask;
    private Task _sweeps = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, EnvironmentObservation>();
        foreach (var environment in environments.All)
        {
            try
            {
                var observation = await providers.Get(environment.Provider).ReconcileAsync(environment.Target, cancellationToken);
                found[environment.Name] = observation;
            }
            catch (Exception e) when (e is ProviderException or IOException or InvalidOperationException)
            {
                Log.ReconcileFailed(logger, environment.Name, e);
            }
        }

        foreach (var run in await runs.ListLeftAsync(starting: true, cancellationToken))
        {
            var observation = found.GetValueOrDefault(run.Environment);
            var actions = observation?.Actions ?? [];
            var result = "the bot restarted while it ran" + (actions.Count > 0 ? $"; on restart it {string.Join("; ", actions)}" : "");
            await InterruptAsync(run, result, observation, starting: true, cancellationToken);
        }

        readiness.Open();
        _catchUp = CatchUpAsync(lifetime.ApplicationStopping);
        _sweeps = SweepAsync(lifetime.ApplicationStopping);
    }

    /// <summary>The host has signalled stopping by now, which ends the catch-up and the sweeps; this waits for them to let go.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => Task.WhenAll(_catchUp, _sweeps).WaitAsync(cancellationToken);

    /// <summary>
    /// One look for runs whose replica died while this one runs: each is interrupted, its message edited and its
    /// end announced. Returns how many this replica recovered (another may recover some first). For tests that drive the clock.
    /// </summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        var recovered = 0;
        foreach (var run in await runs.ListLeftAsync(starting: false, cancellationToken))
        {
            // Its replica's local nodes are that replica's: nothing here can reconcile them.
            var result = $"replica {run.Replica ?? "(unknown)"} stopped while it ran; another replica closed it";
            if (await InterruptAsync(run, result, observation: null, starting: false, cancellationToken) is { } interrupted)
            {
                recovered++;
                if (interrupted.StartedAt is not null)
                {
                    await observers.NotifyAsync(interrupted, cancellationToken);
                }
            }
        }

        return recovered;
    }

    /// <summary>Interrupts one left run unless another replica did first; returns it as recorded, or null.</summary>
    private async Task<RunRecord?> InterruptAsync(RunRecord run, string result, EnvironmentObservation? observation, bool starting, CancellationToken cancellationToken)
    {
        var steps = InterruptedSteps.Reconcile(run.Steps, observation, time.GetUtcNow());
        if (!await runs.InterruptLeftAsync(run.Id, result, steps, starting, cancellationToken))
        {
            return null;
        }

        Log.RunInterrupted(logger, run.Id, run.Environment);
        await audit.AppendAsync(new AuditEntry(run.RequesterId, run.RequesterName, "interrupted", run.Environment, run.Id, result), cancellationToken);
        var interrupted = (await runs.GetAsync(run.Id, cancellationToken))!;
        // Queued edits the crash left behind still go out first; this one, the newest, wins. A run that
        // crashed before its message was queued gets it now.
        await messages.ShowAsync(run.Id, run.Destination, ProgressFormatter.Render(interrupted, kinds, time.GetUtcNow()), cancellationToken);
        return interrupted;
    }

    private async Task SweepAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        using var timer = new PeriodicTimer(replicas.Value.HeartbeatInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await SweepOnceAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // The runs stay left; the next sweep (here or on another replica) tries again.
                    Log.SweepFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await observers.CatchUpAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The runs stay unannounced and are tried again at the next start.
            Log.CatchUpFailed(logger, e);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the rest waits for the next start.
        }
    }
}
