using ChatOps.Bot.Audit;
using ChatOps.Bot.Environments;
using ChatOps.Bot.Hosting;
using ChatOps.Integrations.Infrastructure;

namespace ChatOps.Bot.Workflows;

/// <summary>
/// At start-up, before the bot acts (the store's tables exist by then): reconciles every environment
/// with its provider (adopting healthy nodes, stopping orphans), marks runs a crash left in flight as
/// interrupted, releases their leases, and edits their messages to say so. Then, once the bot is
/// ready, it announces runs that finished (or were just interrupted) without being announced: in the
/// background, because the deployment feed may wait on an Elasticsearch that is down, and that must
/// not hold up the bot.
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
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<RunRecovery> logger) : IHostedService
{
    private Task _catchUp = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var inFlight = await runs.ListInFlightAsync(cancellationToken);
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

        foreach (var run in inFlight)
        {
            var observation = found.GetValueOrDefault(run.Environment);
            var actions = observation?.Actions ?? [];
            var result = "the bot restarted while it ran" + (actions.Count > 0 ? $"; on restart it {string.Join("; ", actions)}" : "");
            await runs.InterruptAsync(run.Id, result, InterruptedSteps.Reconcile(run.Steps, observation, time.GetUtcNow()), cancellationToken);
            Log.RunInterrupted(logger, run.Id, run.Environment);
            await audit.AppendAsync(new AuditEntry(run.RequesterId, run.RequesterName, "interrupted", run.Environment, run.Id, result), cancellationToken);
            var interrupted = (await runs.GetAsync(run.Id, cancellationToken))!;
            // Queued edits the crash left behind still go out first; this one, the newest, wins. A run that
            // crashed before its message was queued gets it now.
            await messages.ShowAsync(run.Id, run.Destination, ProgressFormatter.Render(interrupted, kinds, time.GetUtcNow()), cancellationToken);
        }

        readiness.Open();
        _catchUp = CatchUpAsync(lifetime.ApplicationStopping);
    }

    /// <summary>The host has signalled stopping by now, which ends the catch-up; this waits for it to let go.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => _catchUp.WaitAsync(cancellationToken);

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
