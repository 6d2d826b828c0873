using System.Globalization;
using System.Text.Json;
using ChatOps.Integrations.Chat.Outbox;
using ChatOps.Integrations.Coordination;
using ChatOps.Integrations.Elasticsearch;
using ChatOps.Integrations.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOps.Radiator.Deployments;

/// <summary>
/// Posts deployment documents found in Elasticsearch, each once, also across restarts: each is queued
/// in the outbox under a key made of its index and id, then remembered, and the tail's cursor is
/// persisted after each page. Our own runs are marked and skipped.
/// </summary>
internal sealed class DeploymentWatchService(
    IElasticsearchClient client,
    StateDatabase database,
    IChatOutbox outbox,
    IOptions<DeploymentOptions> options,
    IScheduleOwnership ownership,
    TimeProvider timeProvider,
    ILogger<DeploymentWatchService> logger) : BackgroundService
{
    /// <summary>
    /// The schedule's name among the replicas' leases. A stale holder's late cursor would only make the new holder
    /// read again what it posted, and posts are remembered by document id, so its writes need no fence.
    /// </summary>
    public const string Schedule = "deployment-watch";

    private readonly DeploymentWatchStore _store = new(database);
    private bool _initialized;

    private string CursorName => $"deployments:{options.Value.WatchIndex}";

    /// <summary>Reads new deployment documents and queues their posts; returns how many were newly queued.</summary>
    public async Task<int> PollAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var index = o.WatchIndex ?? throw new InvalidOperationException("Radiator:Deployments:WatchIndex is not set.");
        if (!_initialized)
        {
            // The tables may not exist yet if this runs before the host initialized the store.
            await database.InitializeAsync(cancellationToken);
            _initialized = true;
        }

        var saved = await _store.CursorAsync(CursorName, cancellationToken);
        // The very first watch starts a little in the past, not at the beginning of the index.
        var after = saved is not null
            ? SortCursor.Parse(saved)
            : SortCursor.Parse($"[{(timeProvider.GetUtcNow() - o.WatchLookback).ToUnixTimeMilliseconds()},\"\"]");
        var filter = Query.Bool() with
        {
            Filter = o.WatchQuery is { Length: > 0 } q ? [Query.QueryString(q)] : [],
            MustNot = [Query.Term("source", DeploymentFeed.SourceMark)],
        };

        var posted = 0;
        await foreach (var page in client.TailAsync(new TailRequest([index], o.TimestampField, o.IdField) { Filter = filter, After = after }, cancellationToken))
        {
            foreach (var hit in page.Hits)
            {
                var id = $"{hit.Index}/{hit.Id}";
                if (await _store.IsPostedAsync(id, cancellationToken) || hit.Source is not { ValueKind: JsonValueKind.Object } source)
                {
                    continue;
                }

                // Queue first, remember and advance the cursor after. A crash in between makes the next poll
                // read this document again and queue it under the same key, which the outbox ignores: no
                // post is lost (the cursor never passes a document before it is queued) and none doubles.
                // Queue-after-cursor would lose the post on a crash; the outbox row and the cursor cannot be
                // one transaction in general (the outbox may live in another store).
                var message = DeploymentFormatter.Format(Read(source, hit.Id ?? id, o), $"from Elasticsearch {hit.Index}");
                var queued = false;
                foreach (var destination in Destinations.ParseAll(o.Channels))
                {
                    queued |= await outbox.EnqueuePostAsync(PostKey(id, destination), destination, message, digestAs: DeploymentFeed.DigestNoun, cancellationToken: cancellationToken);
                }

                // Also remembered here, not only by the outbox: its keys are purged after ChatDelivery:Retention,
                // and a new WatchIndex (a new cursor) may look back further than that.
                await _store.RememberPostedAsync(id, timeProvider.GetUtcNow(), cancellationToken);
                if (queued)
                {
                    Log.DeploymentFound(logger, id, hit.Index);
                    posted++;
                }
            }

            await _store.SaveCursorAsync(CursorName, page.Cursor.ToString(), cancellationToken);
        }

        return posted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.WatchInterval, timeProvider);
        do
        {
            try
            {
                if (await ownership.HoldsAsync(Schedule, stoppingToken))
                {
                    await PollAsync(stoppingToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                Log.DeploymentWatchFailed(logger, options.Value.WatchIndex ?? "", ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>The outbox key of a watched document's post in one channel: <c>deploy:es:{index}/{id}:{destination}</c>.</summary>
    internal static string PostKey(string documentId, Integrations.Chat.ChatDestination destination) => $"deploy:es:{documentId}:{destination}";

    private static DeploymentEvent Read(JsonElement source, string id, DeploymentOptions o)
    {
        string Text(string field, string fallback) => Field(source, field) is { ValueKind: JsonValueKind.String } e ? e.GetString()! : Field(source, field)?.ToString() ?? fallback;
        var duration = Field(source, o.DurationField) is { ValueKind: JsonValueKind.Number } d ? TimeSpan.FromMilliseconds(d.GetDouble()) : TimeSpan.Zero;
        var finished = Field(source, o.TimestampField) switch
        {
            { ValueKind: JsonValueKind.String } s when DateTimeOffset.TryParse(s.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) => t,
            { ValueKind: JsonValueKind.Number } n => DateTimeOffset.FromUnixTimeMilliseconds(n.GetInt64()),
            _ => DateTimeOffset.UnixEpoch,
        };
        return new DeploymentEvent(id, Text(o.WhoField, "someone"), Text(o.EnvironmentField, "unknown"), Text(o.VerbField, "deploy"),
            Field(source, o.VersionField)?.ToString(), duration, Text(o.ResultField, "finished"), finished);
    }

    /// <summary>Reads <c>a.b.c</c> as nested objects, or as one dotted property name as Elasticsearch also allows.</summary>
    private static JsonElement? Field(JsonElement source, string path)
    {
        if (source.TryGetProperty(path, out var direct))
        {
            return direct;
        }

        var current = source;
        foreach (var part in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current))
            {
                return null;
            }
        }

        return current;
    }
}
