using System.Text.Json;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Chat.Outbox;
using ChatOps.Integrations.Elasticsearch;
using ChatOps.Radiator.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOps.Radiator.Deployments;

/// <summary>
/// Announces a finished run in the deploys channels, records it as a <c>deployment</c> event in the
/// embedded store, and indexes it in Elasticsearch (keyed by its id, so a retry never writes twice).
/// The announcement goes through the outbox as <c>deploy:{id}:{destination}</c>: publishing the same
/// run again (a retry, or a later state of it) edits that one message instead of posting another.
/// </summary>
internal sealed class DeploymentFeed(
    IChatOutbox outbox,
    EmbeddedEventStore store,
    IOptions<DeploymentOptions> options,
    ILogger<DeploymentFeed> logger,
    IElasticsearchClient? elasticsearch = null) : IDeploymentFeed
{
    /// <summary>The event key deployments are stored under.</summary>
    public const string EventKey = "deployment";

    /// <summary>Marks documents we wrote, so the Elasticsearch watch never posts them a second time.</summary>
    internal const string SourceMark = "radiator";

    /// <summary>What several deployments waiting for one channel are called when merged into a digest.</summary>
    internal const string DigestNoun = "deployment";

    /// <summary>The outbox key of a run's announcement in one channel; its edits refer to it.</summary>
    public static string PostKey(string deploymentId, ChatDestination destination)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(deploymentId);
        ArgumentNullException.ThrowIfNull(destination);
        return $"deploy:{deploymentId}:{destination}";
    }

    public async Task PublishAsync(DeploymentEvent deployment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        Log.DeploymentPublished(logger, deployment.Id, deployment.Environment, deployment.Verb, deployment.Result);
        var message = DeploymentFormatter.Format(deployment);
        await AnnounceAsync(deployment.Id, message, cancellationToken);
        var text = message.Text;
        try
        {
            await store.AppendAsync([ToEvent(deployment, text)], cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.DeploymentStoreFailed(logger, deployment.Id, ex);
        }

        if (elasticsearch is not null)
        {
            try
            {
                await elasticsearch.IndexAsync(new IndexRequest(options.Value.Index, DocumentBody.FromJson(ToDocument(deployment, text))) { Id = deployment.Id }, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.DeploymentIndexFailed(logger, deployment.Id, options.Value.Index, ex);
            }
        }
    }

    /// <summary>
    /// Queues the announcement in every deploys channel, or an edit of it when this run was announced
    /// before; one channel failing to queue does not stop the others.
    /// </summary>
    private async Task AnnounceAsync(string deploymentId, OutgoingMessage message, CancellationToken cancellationToken)
    {
        foreach (var destination in Destinations.ParseAll(options.Value.Channels))
        {
            try
            {
                var key = PostKey(deploymentId, destination);
                if (!await outbox.EnqueuePostAsync(key, destination, message, digestAs: DigestNoun, cancellationToken: cancellationToken))
                {
                    await outbox.EnqueueUpdateAsync(key, destination, message, cancellationToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.DeploymentPostFailed(logger, destination.ToString(), ex);
            }
        }
    }

    internal static RadiatorEvent ToEvent(DeploymentEvent d, string text) =>
        new(d.FinishedAt, EventKey, d.Duration.TotalSeconds)
        {
            Tags = new Dictionary<string, string>
            {
                ["id"] = d.Id,
                ["who"] = d.Who,
                ["environment"] = d.Environment,
                ["verb"] = d.Verb,
                ["version"] = d.Version ?? "",
                ["result"] = d.Result,
            },
            Message = text,
            // A run announced again (a retry, or recovery after a crash) must not count as a second deployment.
            Id = $"deployment:{d.Id}",
        };

    internal string ToDocument(DeploymentEvent d, string text)
    {
        var o = options.Value;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString(o.TimestampField, d.FinishedAt);
            writer.WriteString("key", EventKey);
            writer.WriteNumber("value", d.Duration.TotalSeconds);
            writer.WriteString(o.IdField, d.Id);
            writer.WriteString(o.WhoField, d.Who);
            writer.WriteString(o.EnvironmentField, d.Environment);
            writer.WriteString(o.VerbField, d.Verb);
            if (d.Version is not null)
            {
                writer.WriteString(o.VersionField, d.Version);
            }

            writer.WriteNumber(o.DurationField, (long)d.Duration.TotalMilliseconds);
            writer.WriteString(o.ResultField, d.Result);
            writer.WriteString("message", text);
            writer.WriteString("source", SourceMark);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
