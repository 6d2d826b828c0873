using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatOps.Integrations.Tests.Elasticsearch;

/// <summary>
/// Structural JSON Schema checks over an OpenAPI document's schemas, with $ref resolved: types, enums,
/// required properties, array items, oneOf/anyOf/allOf, and property names where the schema lists them.
/// </summary>
/// <remarks>
/// An object schema that lists <c>properties</c> is closed; one that lists none (<c>{"type":"object"}</c>)
/// is open, which is how the vendor spec marks field-keyed containers such as <c>terms</c>.
/// </remarks>
internal sealed class OpenApiSchema(JsonNode root)
{
    /// <summary>
    /// Schemas the generator could not express fully. <c>_types:SortOptions</c> lost the TypeScript
    /// spec's <c>[field: Field]: FieldSort</c> variant, so <c>{"@timestamp": {"order": "desc"}}</c>, the
    /// documented way to sort a field descending, is accepted here when it has exactly that shape.
    /// </summary>
    private static readonly Dictionary<string, Func<JsonElement, bool>> KnownGaps = new()
    {
        ["#/components/schemas/_types:SortOptions"] = value =>
            value.EnumerateObject().ToList() is [{ Value.ValueKind: JsonValueKind.Object } only]
            && only.Value.EnumerateObject().All(p => p.Name is "order" or "missing" or "mode" or "unmapped_type" or "format" or "numeric_type")
            && (!only.Value.TryGetProperty("order", out var order) || order.GetString() is "asc" or "desc"),
    };

    public void Validate(JsonElement value, JsonNode schemaNode, string at, List<string> errors, string where)
    {
        var schema = Resolve(schemaNode, out var refName);
        if (refName is not null && value.ValueKind == JsonValueKind.Object && KnownGaps.TryGetValue(refName, out var gap) && gap(value))
        {
            return;
        }

        if ((schema["oneOf"] ?? schema["anyOf"]) is JsonArray choice)
        {
            var attempts = choice.Select(alternative =>
            {
                var found = new List<string>();
                Validate(value, alternative!, at, found, where);
                return found;
            }).ToList();
            if (!attempts.Any(a => a.Count == 0))
            {
                errors.AddRange(attempts.MinBy(a => a.Count)!);
            }

            return;
        }

        if (value.ValueKind == JsonValueKind.Null)
        {
            if (schema["nullable"]?.GetValue<bool>() != true && schema["type"] is not null)
            {
                errors.Add($"{where}: {at} is null but not nullable");
            }

            return;
        }

        if (schema["allOf"] is JsonArray allOf && value.ValueKind != JsonValueKind.Object)
        {
            foreach (var member in allOf)
            {
                Validate(value, member!, at, errors, where);
            }

            return;
        }

        var type = schema["type"]?.GetValue<string>();
        var fits = type switch
        {
            "string" => value.ValueKind == JsonValueKind.String,
            "number" or "integer" => value.ValueKind == JsonValueKind.Number,
            "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            "array" => value.ValueKind == JsonValueKind.Array,
            "object" => value.ValueKind == JsonValueKind.Object,
            _ => true,
        };
        if (!fits)
        {
            errors.Add($"{where}: {at} is {value.ValueKind}, the schema wants {type}");
            return;
        }

        if (schema["enum"] is JsonArray values && value.ValueKind == JsonValueKind.String && !values.Any(v => v?.GetValue<string>() == value.GetString()))
        {
            errors.Add($"{where}: {at} = '{value.GetString()}' is not one of {values.ToJsonString()}");
        }

        if (value.ValueKind == JsonValueKind.Array && schema["items"] is { } items)
        {
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                Validate(item, items, $"{at}[{i++}]", errors, where);
            }
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            ValidateObject(value, schema, at, errors, where);
        }
    }

    private void ValidateObject(JsonElement value, JsonNode schema, string at, List<string> errors, string where)
    {
        var shape = new ObjectShape();
        Collect(schema, shape, value, at, errors, where);
        foreach (var required in shape.Required.Where(r => !value.TryGetProperty(r, out _)))
        {
            errors.Add($"{where}: {at} lacks required property '{required}'");
        }

        var count = 0;
        foreach (var property in value.EnumerateObject())
        {
            count++;
            if (shape.Properties.TryGetValue(property.Name, out var propertySchema))
            {
                Validate(property.Value, propertySchema, $"{at}.{property.Name}", errors, where);
            }
            else if (shape.Additional is { } additional)
            {
                Validate(property.Value, additional, $"{at}.{property.Name}", errors, where);
            }
            else if (!shape.Open)
            {
                errors.Add($"{where}: {at} has property '{property.Name}', which the schema does not list");
            }
        }

        foreach (var (names, min, max) in shape.Counts)
        {
            var counted = names is null ? count : value.EnumerateObject().Count(p => names.Contains(p.Name));
            if (counted < (min ?? 0) || counted > (max ?? int.MaxValue))
            {
                errors.Add($"{where}: {at} has {counted} of the properties counted; the schema allows {min}..{max}");
            }
        }
    }

    private void Collect(JsonNode schemaNode, ObjectShape shape, JsonElement value, string at, List<string> errors, string where, bool nested = false)
    {
        var schema = Resolve(schemaNode, out _);
        if (schema["allOf"] is JsonArray allOf)
        {
            foreach (var member in allOf)
            {
                Collect(member!, shape, value, at, errors, where, nested: true);
            }
        }

        if (schema["oneOf"] is not null || schema["anyOf"] is not null)
        {
            // A choice inside allOf constrains the value on its own; it says nothing about the other members' names.
            Validate(value, schema, at, errors, where);
            shape.Open = true;
            return;
        }

        var properties = schema["properties"]?.AsObject();
        foreach (var (name, propertySchema) in properties ?? [])
        {
            shape.Properties[name] = propertySchema!;
        }

        foreach (var required in schema["required"]?.AsArray() ?? [])
        {
            shape.Required.Add(required!.GetValue<string>());
        }

        if (schema["additionalProperties"] is JsonObject additional)
        {
            shape.Additional = additional;
        }
        else if (schema["additionalProperties"] is JsonValue allowed && allowed.GetValue<bool>())
        {
            shape.Open = true;
        }
        else if (schema["additionalProperties"] is null && properties is null && schema["allOf"] is null)
        {
            shape.Open = true;
        }

        if (schema["minProperties"] is not null || schema["maxProperties"] is not null)
        {
            // Inside allOf the generator uses min/max 1 to mean "exactly one of the variants I list"
            // (AggregationContainer: one aggregation type beside "aggregations" and "meta"), so a member
            // with properties counts only those.
            shape.Counts.Add((nested && properties is not null ? [.. properties.Select(p => p.Key)] : null,
                schema["minProperties"]?.GetValue<int>(), schema["maxProperties"]?.GetValue<int>()));
        }
    }

    public JsonNode Resolve(JsonNode node, out string? refName)
    {
        refName = null;
        var seen = 0;
        while (node["$ref"]?.GetValue<string>() is { } reference)
        {
            refName = reference;
            node = reference.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries)
                .Aggregate(root, (current, part) => current[part.Replace("~1", "/").Replace("~0", "~")] ?? throw new InvalidOperationException($"Unresolvable $ref {reference}"));
            if (++seen > 50)
            {
                throw new InvalidOperationException($"$ref cycle at {reference}");
            }
        }

        return node;
    }

    private sealed class ObjectShape
    {
        public Dictionary<string, JsonNode> Properties { get; } = [];

        public HashSet<string> Required { get; } = [];

        public JsonNode? Additional { get; set; }

        public bool Open { get; set; }

        public List<(HashSet<string>? Names, int? Min, int? Max)> Counts { get; } = [];
    }
}
