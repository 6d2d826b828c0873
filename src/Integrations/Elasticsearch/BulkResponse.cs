using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatOps.Integrations.Elasticsearch;

/// <summary>
/// A bulk result. HTTP 200 does not mean every operation worked: look at <see cref="FailedItems"/>.
/// </summary>
public sealed record BulkResponse(
    [property: JsonPropertyName("took")] long Took,
    [property: JsonPropertyName("errors")] bool Errors,
    [property: JsonPropertyName("items")] IReadOnlyList<BulkItemResult> Items)
{
    [JsonIgnore]
    public IReadOnlyList<BulkItemResult> FailedItems => [.. Items.Where(i => i.Error is not null)];
}

/// <summary>One operation's result, in request order. <see cref="Error"/> is set when it failed.</summary>
[JsonConverter(typeof(BulkItemResultConverter))]
public sealed record BulkItemResult(string Action, BulkItemBody Body)
{
    public string? Index => Body.Index;

    public string? Id => Body.Id;

    public int Status => Body.Status;

    public ElasticsearchError? Error => Body.Error;

    /// <summary>True for a version conflict: a create whose id exists, or a stale if_seq_no.</summary>
    public bool IsConflict => Body.Status == 409;
}

public sealed record BulkItemBody(
    [property: JsonPropertyName("_index")] string? Index,
    [property: JsonPropertyName("_id")] string? Id,
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("result")] string? Result,
    [property: JsonPropertyName("_version")] long? Version,
    [property: JsonPropertyName("_seq_no")] long? SeqNo,
    [property: JsonPropertyName("_primary_term")] long? PrimaryTerm,
    [property: JsonPropertyName("error")] ElasticsearchError? Error);

/// <summary>Each item is an object with one property named after its action: <c>{"index": {…}}</c>.</summary>
internal sealed class BulkItemResultConverter : JsonConverter<BulkItemResult>
{
    public override BulkItemResult Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject || !reader.Read() || reader.TokenType != JsonTokenType.PropertyName)
        {
            throw new JsonException("A bulk item is an object with one action property.");
        }

        var action = reader.GetString()!;
        reader.Read();
        var body = JsonSerializer.Deserialize(ref reader, ElasticsearchJsonContext.Default.BulkItemBody)
            ?? throw new JsonException($"The bulk '{action}' item is null.");
        reader.Read();
        if (reader.TokenType != JsonTokenType.EndObject)
        {
            throw new JsonException("A bulk item has exactly one action property.");
        }

        return new BulkItemResult(action, body);
    }

    public override void Write(Utf8JsonWriter writer, BulkItemResult value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Bulk results are only read.");
}
