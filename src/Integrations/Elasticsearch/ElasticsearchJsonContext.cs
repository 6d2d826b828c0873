using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatOps.Integrations.Elasticsearch;

/// <summary>
/// Source-generated (de)serialization of the wire types. Unknown properties are ignored and numbers
/// sent as strings accepted, because responses grow with every Elasticsearch release.
/// </summary>
[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString, Converters = [typeof(AggregationResultsConverter), typeof(SortCursorConverter)])]
[JsonSerializable(typeof(SearchResponse))]
[JsonSerializable(typeof(CountResponse))]
[JsonSerializable(typeof(PointInTime))]
[JsonSerializable(typeof(ClosePointInTimeResponse))]
[JsonSerializable(typeof(BulkResponse))]
[JsonSerializable(typeof(BulkItemBody))]
[JsonSerializable(typeof(WriteResult))]
[JsonSerializable(typeof(GetResult))]
[JsonSerializable(typeof(ClusterHealthResponse))]
[JsonSerializable(typeof(ClusterInfo))]
[JsonSerializable(typeof(ElasticsearchError))]
internal sealed partial class ElasticsearchJsonContext : JsonSerializerContext;

internal sealed class AggregationResultsConverter : JsonConverter<AggregationResults>
{
    public override AggregationResults Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return new AggregationResults(document.RootElement);
    }

    public override void Write(Utf8JsonWriter writer, AggregationResults value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Aggregation results are only read.");
}

internal sealed class SortCursorConverter : JsonConverter<SortCursor>
{
    public override SortCursor? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return SortCursor.From(document.RootElement);
    }

    public override void Write(Utf8JsonWriter writer, SortCursor value, JsonSerializerOptions options) => value.Write(writer);
}
