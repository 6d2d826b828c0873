using System.Buffers;
using System.Text.Json;

namespace ChatOps.Integrations.Elasticsearch;

/// <summary>Writes request bodies exactly as the vendor schema names them.</summary>
internal static class RequestBodies
{
    public static byte[] Search(SearchRequest request) => Write(writer =>
    {
        writer.WriteStartObject();
        if (request.Query is { } query)
        {
            writer.WritePropertyName("query");
            query.Write(writer);
        }

        WriteNumber(writer, "size", request.Size);
        WriteNumber(writer, "from", request.From);
        if (request.Sort.Count > 0)
        {
            writer.WriteStartArray("sort");
            foreach (var sort in request.Sort)
            {
                sort.Write(writer);
            }

            writer.WriteEndArray();
        }

        if (request.SearchAfter is { } after)
        {
            writer.WritePropertyName("search_after");
            after.Write(writer);
        }

        if (request.PointInTime is { } pit)
        {
            writer.WriteStartObject("pit");
            writer.WriteString("id", pit.Id);
            writer.WriteString("keep_alive", Duration.Format(pit.KeepAlive));
            writer.WriteEndObject();
        }

        if (request.Aggregations.Count > 0)
        {
            Aggregation.WriteAll(writer, request.Aggregations);
        }

        if (request.TrackTotalHits is { } track)
        {
            writer.WriteBoolean("track_total_hits", track);
        }

        if (request.Source is { } source)
        {
            writer.WriteBoolean("_source", source);
        }

        if (request.SeqNoPrimaryTerm)
        {
            writer.WriteBoolean("seq_no_primary_term", true);
        }

        writer.WriteEndObject();
    });

    public static byte[] Count(CountRequest request) => Write(writer =>
    {
        writer.WriteStartObject();
        if (request.Query is { } query)
        {
            writer.WritePropertyName("query");
            query.Write(writer);
        }

        writer.WriteEndObject();
    });

    public static byte[] ClosePointInTime(string id) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("id", id);
        writer.WriteEndObject();
    });

    /// <summary>NDJSON: an action line, then (for index and create) the document line, each ending in a newline.</summary>
    public static byte[] Bulk(BulkRequest request)
    {
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var operation in request.Operations)
        {
            using (var writer = new Utf8JsonWriter(buffer))
            {
                WriteAction(writer, operation);
            }

            buffer.Write("\n"u8);
            if (operation.Document is { } document)
            {
                buffer.Write(document.Utf8Json.Span);
                buffer.Write("\n"u8);
            }
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteAction(Utf8JsonWriter writer, BulkOperation operation)
    {
        writer.WriteStartObject();
        writer.WriteStartObject(operation.Action switch
        {
            BulkAction.Index => "index",
            BulkAction.Create => "create",
            _ => "delete",
        });
        writer.WriteString("_index", operation.Index);
        if (operation.Id is { } id)
        {
            writer.WriteString("_id", id);
        }

        WriteNumber(writer, "if_seq_no", operation.IfSeqNo);
        WriteNumber(writer, "if_primary_term", operation.IfPrimaryTerm);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
