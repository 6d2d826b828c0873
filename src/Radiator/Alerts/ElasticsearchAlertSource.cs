using ChatOps.Integrations.Coordination;
using ChatOps.Integrations.Elasticsearch;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ChatOps.Radiator.Alerts;

/// <summary>
/// Tails one alert index with point in time + <c>search_after</c> from a cursor persisted after each
/// page. Alerts are idempotent by fingerprint and status, so a page re-read after a crash changes
/// nothing; a failing Elasticsearch gives one degraded notice, and the next success catches up from
/// the cursor without gaps.
/// </summary>
internal sealed class ElasticsearchAlertSource(
    AlertSourceOptions source,
    IElasticsearchClient client,
    AlertService alerts,
    AlertStore store,
    AlertSourceHealth health,
    IScheduleOwnership ownership,
    TimeProvider time,
    ILogger<ElasticsearchAlertSource> logger) : BackgroundService
{
    /// <summary>
    /// The tail's schedule among the replicas' leases. Its cursor is written under the lease's fence: a holder that
    /// lost the tail would otherwise move the cursor back, and the new holder would apply old alert documents again
    /// (a resolved alert firing anew).
    /// </summary>
    public string Schedule => $"alert-tail:{source.Name}";

    private readonly AlertFieldMapping _mapping = AlertFieldMapping.For(source);

    private string CursorName => $"es:{source.Name}";

    /// <summary>Reads everything new; returns how many documents were read.</summary>
    public async Task<int> PollAsync(CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken);
        var saved = await store.CursorAsync(CursorName, cancellationToken);
        var after = saved is not null
            ? SortCursor.Parse(saved)
            : SortCursor.Parse($"[{(time.GetUtcNow() - source.Lookback).ToUnixTimeMilliseconds()},\"\"]");
        var filters = new List<Query>();
        if (_mapping.RequiredTerm is { } term)
        {
            filters.Add(Query.Term(term.Field, term.Value));
        }

        if (source.Query is { Length: > 0 } q)
        {
            filters.Add(Query.QueryString(q));
        }

        var read = 0;
        DateTimeOffset? newest = null;
        await foreach (var page in client.TailAsync(new TailRequest([_mapping.Index], _mapping.TimestampField, _mapping.IdField)
        {
            Filter = filters.Count == 0 ? null : Query.Bool() with { Filter = filters },
            After = after,
        }, cancellationToken))
        {
            var signals = new List<AlertSignal>(page.Hits.Count);
            foreach (var hit in page.Hits)
            {
                read++;
                if (hit.Source is not { } document)
                {
                    continue;
                }

                newest = AlertDocumentReader.Time(AlertDocumentReader.Field(document, _mapping.TimestampField)) ?? newest;
                if (AlertDocumentReader.Read(document, _mapping, source.Name) is { } signal)
                {
                    signals.Add(signal);
                }
                else
                {
                    Log.SourceDocumentSkipped(logger, source.Name, hit.Id ?? "?");
                }
            }

            // A page applies as one batch (one alert's documents still in order); its cursor moves only once all of it is kept.
            await alerts.ReceiveAsync(signals, cancellationToken);
            if (!await store.SaveCursorAsync(CursorName, page.Cursor.ToString(), ownership.FenceOf(Schedule), cancellationToken))
            {
                // Another replica took the tail over: what it reads from here on is its own.
                break;
            }
        }

        await health.SucceededAsync(source.Name, newest, cancellationToken);
        return read;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(source.Interval, time);
        do
        {
            await RunOnceAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One poll; a failure is logged and reported to <see cref="AlertSourceHealth"/> (once per episode), never thrown.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (await ownership.HoldsAsync(Schedule, cancellationToken))
            {
                await PollAsync(cancellationToken);
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.SourceFailed(logger, source.Name, ex);
            await health.FailedAsync(source.Name, ex, cancellationToken);
        }
    }
}
