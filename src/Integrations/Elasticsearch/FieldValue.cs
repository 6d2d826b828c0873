using System.Globalization;
using System.Text.Json;

namespace ChatOps.Integrations.Elasticsearch;

/// <summary>A scalar in a query: a string (also date math such as <c>now-5m</c>), number or boolean.</summary>
public readonly record struct FieldValue
{
    private readonly object _value;

    private FieldValue(object value) => _value = value;

    public static implicit operator FieldValue(string value) => FromString(value);

    public static implicit operator FieldValue(long value) => FromInt64(value);

    public static implicit operator FieldValue(double value) => FromDouble(value);

    public static implicit operator FieldValue(bool value) => FromBoolean(value);

    public static implicit operator FieldValue(DateTimeOffset value) => FromDateTime(value);

    public static FieldValue FromString(string value) => new(value ?? throw new ArgumentNullException(nameof(value)));

    public static FieldValue FromInt64(long value) => new(value);

    public static FieldValue FromDouble(double value) => double.IsFinite(value) ? new(value) : throw new ArgumentOutOfRangeException(nameof(value), "JSON has no NaN or infinity.");

    public static FieldValue FromBoolean(bool value) => new(value);

    /// <summary>An instant, written in UTC with milliseconds, which every Elasticsearch date format parses.</summary>
    public static FieldValue FromDateTime(DateTimeOffset value) =>
        new(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));

    public override string ToString() => _value?.ToString() ?? "";

    internal void Write(Utf8JsonWriter writer)
    {
        switch (_value)
        {
            case string s:
                writer.WriteStringValue(s);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case double d:
                writer.WriteNumberValue(d);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            default:
                throw new InvalidOperationException("A FieldValue must be created with a value.");
        }
    }
}
