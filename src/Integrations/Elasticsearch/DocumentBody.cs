using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ChatOps.Integrations.Elasticsearch;

/// <summary>
/// A document, serialized once as compact JSON: one line, as bulk's NDJSON needs, and untyped, so
/// requests carrying different document types stay plain records.
/// </summary>
public sealed class DocumentBody
{
    private DocumentBody(byte[] utf8Json) => Utf8Json = utf8Json;

    public ReadOnlyMemory<byte> Utf8Json { get; }

    public static DocumentBody From<T>(T document, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return FromJson(JsonSerializer.SerializeToUtf8Bytes(document, typeInfo));
    }

    public static DocumentBody FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return FromJson(System.Text.Encoding.UTF8.GetBytes(json));
    }

    private static DocumentBody FromJson(byte[] utf8Json)
    {
        using var document = JsonDocument.Parse(utf8Json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException("A document is a JSON object.", nameof(utf8Json));
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>(utf8Json.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            document.RootElement.WriteTo(writer);
        }

        return new DocumentBody(buffer.WrittenSpan.ToArray());
    }

    public override string ToString() => System.Text.Encoding.UTF8.GetString(Utf8Json.Span);
}
