using System.Text.Json;

namespace ChatOps.Integrations.Elasticsearch;

public enum SortOrder
{
    Ascending,
    Descending,
}

/// <summary>One sort key. Ascending keys go on the wire as a bare field name, the form every version accepts.</summary>
public sealed record SortField(string Field, SortOrder Order = SortOrder.Ascending)
{
    /// <summary>The cheapest total tiebreaker inside a point in time, so <c>search_after</c> never skips or repeats a hit.</summary>
    public static SortField ShardDoc { get; } = new("_shard_doc");

    internal void Write(Utf8JsonWriter writer)
    {
        if (Order == SortOrder.Ascending && Field != "_score")
        {
            writer.WriteStringValue(Field);
            return;
        }

        writer.WriteStartObject();
        writer.WriteStartObject(Field);
        writer.WriteString("order", Order == SortOrder.Ascending ? "asc" : "desc");
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}

/// <summary>
/// The sort values of the last hit seen: pass it as <c>search_after</c> to continue. It round-trips
/// through <see cref="ToString"/> and <see cref="Parse"/> so a tail can persist where it stopped.
/// </summary>
public sealed class SortCursor
{
    private readonly JsonElement _values;

    private SortCursor(JsonElement values) => _values = values;

    public int Count => _values.GetArrayLength();

    internal static SortCursor? From(JsonElement? sort) =>
        sort is { ValueKind: JsonValueKind.Array } values ? new SortCursor(values.Clone()) : null;

    public static SortCursor Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json);
        return document.RootElement.ValueKind == JsonValueKind.Array
            ? new SortCursor(document.RootElement.Clone())
            : throw new FormatException("A sort cursor is a JSON array of sort values.");
    }

    /// <summary>
    /// The first <paramref name="count"/> values. A point-in-time search appends an implicit
    /// <c>_shard_doc</c> value that means nothing in another point in time; persisted cursors drop it.
    /// </summary>
    public SortCursor Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count >= Count)
        {
            return this;
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var value in _values.EnumerateArray().Take(count))
            {
                value.WriteTo(writer);
            }

            writer.WriteEndArray();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return new SortCursor(document.RootElement.Clone());
    }

    public override string ToString() => _values.GetRawText();

    internal void Write(Utf8JsonWriter writer) => _values.WriteTo(writer);
}
