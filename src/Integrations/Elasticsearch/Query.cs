using System.Text.Json;

namespace ChatOps.Integrations.Elasticsearch;

/// <summary>
/// The part of the query DSL this product uses. Each node writes its own JSON, so what reaches the
/// wire is exactly what the vendor's schema describes.
/// </summary>
public abstract record Query
{
    internal abstract void Write(Utf8JsonWriter writer);

    public static MatchAllQuery MatchAll() => new();

    public static TermQuery Term(string field, FieldValue value) => new(field, value);

    public static TermsQuery Terms(string field, params IEnumerable<FieldValue> values) => new(field, [.. values]);

    public static ExistsQuery Exists(string field) => new(field);

    public static QueryStringQuery QueryString(string query) => new(query);

    public static RangeQuery Range(string field) => new(field);

    /// <summary>Documents whose <paramref name="field"/> lies in [<paramref name="from"/>, <paramref name="to"/>): windows that tile without overlap.</summary>
    public static RangeQuery TimeRange(string field, DateTimeOffset from, DateTimeOffset to) =>
        new(field) { Gte = FieldValue.FromDateTime(from), Lt = FieldValue.FromDateTime(to), Format = "strict_date_optional_time" };

    public static BoolQuery Bool() => new();
}

public sealed record MatchAllQuery : Query
{
    internal override void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("match_all");
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}

public sealed record TermQuery(string Field, FieldValue Value) : Query
{
    internal override void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("term");
        writer.WriteStartObject(Field);
        writer.WritePropertyName("value");
        Value.Write(writer);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}

public sealed record TermsQuery(string Field, IReadOnlyList<FieldValue> Values) : Query
{
    internal override void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("terms");
        writer.WriteStartArray(Field);
        foreach (var value in Values)
        {
            value.Write(writer);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}

public sealed record ExistsQuery(string Field) : Query
{
    internal override void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("exists");
        writer.WriteString("field", Field);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}

/// <summary>Lucene syntax as typed by people (KPI definitions in configuration, <c>/pulse query …</c>).</summary>
public sealed record QueryStringQuery(string QueryText) : Query
{
    public string? DefaultField { get; init; }

    /// <summary><c>AND</c> or <c>OR</c> between bare terms; Elasticsearch's default is OR.</summary>
    public string? DefaultOperator { get; init; }

    internal override void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("query_string");
        writer.WriteString("query", QueryText);
        if (DefaultField is not null)
        {
            writer.WriteString("default_field", DefaultField);
        }

        if (DefaultOperator is not null)
        {
            writer.WriteString("default_operator", DefaultOperator);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}

public sealed record RangeQuery(string Field) : Query
{
    public FieldValue? Gt { get; init; }

    public FieldValue? Gte { get; init; }

    public FieldValue? Lt { get; init; }

    public FieldValue? Lte { get; init; }

    /// <summary>The date format of the bounds, e.g. <c>strict_date_optional_time</c>.</summary>
    public string? Format { get; init; }

    public string? TimeZone { get; init; }

    internal override void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("range");
        writer.WriteStartObject(Field);
        WriteBound(writer, "gt", Gt);
        WriteBound(writer, "gte", Gte);
        WriteBound(writer, "lt", Lt);
        WriteBound(writer, "lte", Lte);
        if (Format is not null)
        {
            writer.WriteString("format", Format);
        }

        if (TimeZone is not null)
        {
            writer.WriteString("time_zone", TimeZone);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteBound(Utf8JsonWriter writer, string name, FieldValue? value)
    {
        if (value is { } v)
        {
            writer.WritePropertyName(name);
            v.Write(writer);
        }
    }
}

public sealed record BoolQuery : Query
{
    public IReadOnlyList<Query> Must { get; init; } = [];

    /// <summary>Like <see cref="Must"/> without scoring, so Elasticsearch can cache it: use for time ranges and terms.</summary>
    public IReadOnlyList<Query> Filter { get; init; } = [];

    public IReadOnlyList<Query> Should { get; init; } = [];

    public IReadOnlyList<Query> MustNot { get; init; } = [];

    public int? MinimumShouldMatch { get; init; }

    internal override void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("bool");
        WriteClauses(writer, "must", Must);
        WriteClauses(writer, "filter", Filter);
        WriteClauses(writer, "should", Should);
        WriteClauses(writer, "must_not", MustNot);
        if (MinimumShouldMatch is { } minimum)
        {
            writer.WriteNumber("minimum_should_match", minimum);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteClauses(Utf8JsonWriter writer, string name, IReadOnlyList<Query> clauses)
    {
        if (clauses.Count == 0)
        {
            return;
        }

        writer.WriteStartArray(name);
        foreach (var clause in clauses)
        {
            clause.Write(writer);
        }

        writer.WriteEndArray();
    }
}
