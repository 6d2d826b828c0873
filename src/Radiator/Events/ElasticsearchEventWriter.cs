using System.Globalization;
using System.Text.Json;
using ChatOps.Integrations.Elasticsearch;
using Microsoft.Extensions.Options;

namespace ChatOps.Radiator.Events;

/// <summary>Writes events into <see cref="RadiatorOptions.EventIndex"/> with one bulk request per batch.</summary>
internal sealed class ElasticsearchEventWriter(IElasticsearchClient client, IOptions<RadiatorOptions> options) : IEventWriter
{
    public async Task<IReadOnlyList<RefusedEvent>> WriteAsync(IReadOnlyList<RadiatorEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return [];
        }

        var o = options.Value;
        var response = await client.BulkAsync(new BulkRequest([.. events.Select(e => BulkOperation.IndexDocument(o.EventIndex, DocumentBody.FromJson(ToJson(e, o))))]), cancellationToken);
        return [.. response.Items
            .Select((item, index) => (item, index))
            .Where(x => x.item.Error is not null)
            .Select(x => new RefusedEvent(x.index, $"refused by Elasticsearch: {x.item.Error!.Type}: {x.item.Error.Reason}"))];
    }

    internal static string ToJson(RadiatorEvent e, RadiatorOptions o)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString(o.TimestampField, e.Timestamp.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            writer.WriteString(o.KeyField, e.Key);
            writer.WriteNumber(o.ValueField, e.Value);
            if (e.Tags is { Count: > 0 } tags)
            {
                writer.WriteStartObject("tags");
                foreach (var (name, value) in tags)
                {
                    writer.WriteString(name, value);
                }

                writer.WriteEndObject();
            }

            if (e.Message is not null)
            {
                writer.WriteString("message", e.Message);
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
