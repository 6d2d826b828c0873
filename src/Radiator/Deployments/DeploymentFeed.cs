using System.Text.Json;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Elasticsearch;
using ChatOps.Radiator.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOps.Radiator.Deployments;

/// <summary>
/// Announces a finished run in the deploys channels, records it as a <c>deployment</c> event in the
/// embedded store, and indexes it in Elasticsearch (keyed by its id, so a retry never writes twice).
/// </summary>
public sealed class DeploymentFeed(
    ChatSenders chat,
    EmbeddedEventStore store,
    IOptions<DeploymentOptions> options,
    ILogger<DeploymentFeed> logger,
    IElasticsearchClient? elasticsearch = null) : IDeploymentFeed
{
    /// <summary>The event key deployments are stored under.</summary>
    public const string EventKey = "deployment";

    /// <summary>Marks documents we wrote, so the Elasticsearch watch never posts them a second time.</summary>
    internal const string SourceMark = "radiator";

    public async Task PublishAsync(DeploymentEvent deployment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        Log.DeploymentPublished(logger, deployment.Id, deployment.Environment, deployment.Verb, deployment.Result);
        await PostAsync(DeploymentFormatter.Format(deployment), cancellationToken);
        var text = DeploymentFormatter.Format(deployment).Text;
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

    /// <summary>Posts to every deploys channel; one failing platform does not stop the others.</summary>
    internal async Task PostAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        foreach (var destination in Destinations.ParseAll(options.Value.Channels))
        {
            try
            {
                await chat.For(destination).PostAsync(destination, message, cancellationToken: cancellationToken);
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
