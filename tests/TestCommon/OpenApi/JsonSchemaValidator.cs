using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ChatOps.TestCommon.OpenApi;

/// <summary>
/// Validates JSON against the JSON Schema subset that vendors' OpenAPI 3.0/3.1 documents use: <c>$ref</c> (local
/// JSON pointers), <c>type</c> (one or a list, <c>integer</c> as a number without fraction), <c>nullable</c>,
/// <c>enum</c>, <c>const</c>, <c>properties</c>, <c>required</c>, <c>additionalProperties</c>, <c>min/maxProperties</c>,
/// <c>items</c>, <c>min/maxItems</c>, <c>uniqueItems</c>, <c>min/maxLength</c> (in code points), <c>pattern</c>,
/// <c>minimum</c>/<c>maximum</c> (and their exclusive forms), <c>allOf</c>, <c>anyOf</c>, <c>oneOf</c> (exactly one)
/// and <c>not</c>. Formats are annotations and not checked.
/// </summary>
/// <remarks>
/// With <see cref="RejectUndeclaredProperties"/> an object whose schema lists <c>properties</c> (in itself or its
/// <c>allOf</c> parts) and says nothing of <c>additionalProperties</c> may carry no other property: stricter than JSON
/// Schema, which lets anything else through, so that a misspelt field fails the test instead of being ignored by the
/// vendor.
/// </remarks>
public sealed class JsonSchemaValidator(JsonNode document, bool rejectUndeclaredProperties = false)
{
    private readonly Dictionary<string, Regex> _patterns = new(StringComparer.Ordinal);

    public JsonNode Document { get; } = document ?? throw new ArgumentNullException(nameof(document));

    public bool RejectUndeclaredProperties { get; } = rejectUndeclaredProperties;

    /// <summary>Every way <paramref name="instance"/> breaks <paramref name="schema"/>, each prefixed by its JSON path; empty when it fits.</summary>
    public IReadOnlyList<string> Validate(JsonElement instance, JsonNode schema, string path = "$")
    {
        ArgumentNullException.ThrowIfNull(schema);
        var errors = new List<string>();
        Check(instance, schema, path, errors, checkUndeclared: true);
        return errors;
    }

    /// <summary>Follows <c>$ref</c> until a schema without one (siblings of a <c>$ref</c> are checked by <see cref="Validate"/>).</summary>
    public JsonNode Resolve(JsonNode schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var seen = 0;
        while (schema is JsonObject o && o["$ref"] is JsonValue reference)
        {
            schema = Pointer(reference.GetValue<string>());
            if (++seen > 64)
            {
                throw new InvalidOperationException($"$ref cycle at {reference}");
            }
        }

        return schema;
    }

    /// <summary>The property names a schema declares, in itself and through its <c>$ref</c> and <c>allOf</c> parts.</summary>
    public ISet<string> DeclaredProperties(JsonNode schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var names = new HashSet<string>(StringComparer.Ordinal);
        CollectDeclared(schema, names, depth: 0);
        return names;
    }

    private JsonNode Pointer(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            throw new NotSupportedException($"only local $ref are supported, not '{reference}'");
        }

        JsonNode? node = Document;
        foreach (var raw in reference[2..].Split('/'))
        {
            var part = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            node = node is JsonObject o ? o[part] : null;
            if (node is null)
            {
                throw new InvalidOperationException($"$ref '{reference}' points nowhere");
            }
        }

        return node!;
    }

    private void Check(JsonElement instance, JsonNode schemaNode, string path, List<string> errors, bool checkUndeclared)
    {
        if (schemaNode is JsonValue boolean && boolean.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            if (boolean.GetValueKind() == JsonValueKind.False)
            {
                errors.Add($"{path}: nothing is allowed here");
            }

            return;
        }

        if (schemaNode is not JsonObject schema)
        {
            return;
        }

        if (schema["$ref"] is JsonValue reference)
        {
            Check(instance, Pointer(reference.GetValue<string>()), path, errors, checkUndeclared && !HasProperties(schema));
        }

        if (!CheckType(instance, schema, path, errors))
        {
            return;
        }

        if (schema["enum"] is JsonArray allowed && !allowed.Any(v => JsonEquals(instance, v)))
        {
            errors.Add($"{path}: {Show(instance)} is not one of {allowed.ToJsonString()}");
        }

        if (schema.TryGetPropertyValue("const", out var constant) && !JsonEquals(instance, constant))
        {
            errors.Add($"{path}: {Show(instance)} is not {constant?.ToJsonString() ?? "null"}");
        }

        switch (instance.ValueKind)
        {
            case JsonValueKind.String:
                CheckString(instance.GetString()!, schema, path, errors);
                break;
            case JsonValueKind.Number:
                CheckNumber(instance, schema, path, errors);
                break;
            case JsonValueKind.Array:
                CheckArray(instance, schema, path, errors);
                break;
            case JsonValueKind.Object:
                CheckObject(instance, schema, path, errors, checkUndeclared);
                break;
        }

        CheckCombinations(instance, schema, path, errors, checkUndeclared);
    }

    private void CheckCombinations(JsonElement instance, JsonObject schema, string path, List<string> errors, bool checkUndeclared)
    {
        if (schema["allOf"] is JsonArray all)
        {
            // The parts together declare the object's properties, so none checks undeclared ones alone.
            foreach (var part in all)
            {
                Check(instance, part!, path, errors, checkUndeclared: false);
            }

            if (checkUndeclared && RejectUndeclaredProperties && instance.ValueKind == JsonValueKind.Object && !AllowsAdditional(schema))
            {
                var declared = DeclaredProperties(schema);
                if (declared.Count > 0 && !all.Any(p => AllowsAdditional(Resolve(p!))))
                {
                    foreach (var property in instance.EnumerateObject().Where(p => !declared.Contains(p.Name)))
                    {
                        errors.Add($"{path}: property '{property.Name}' is not declared");
                    }
                }
            }
        }

        if (schema["anyOf"] is JsonArray any)
        {
            var attempts = any.Select(s => Attempt(instance, s!, path)).ToList();
            if (!attempts.Any(a => a.Count == 0))
            {
                errors.Add($"{path}: matches none of the {any.Count} anyOf alternatives; the closest fails with: {string.Join("; ", attempts.MinBy(a => a.Count)!)}");
            }
        }

        if (schema["oneOf"] is JsonArray one)
        {
            var attempts = one.Select(s => Attempt(instance, s!, path)).ToList();
            var matched = attempts.Count(a => a.Count == 0);
            if (matched == 0)
            {
                errors.Add($"{path}: matches none of the {one.Count} oneOf alternatives; the closest fails with: {string.Join("; ", attempts.MinBy(a => a.Count)!)}");
            }
            else if (matched > 1)
            {
                errors.Add($"{path}: matches {matched} of the oneOf alternatives, where exactly one must match");
            }
        }

        if (schema["not"] is { } not && Attempt(instance, not, path).Count == 0)
        {
            errors.Add($"{path}: matches a schema it must not match");
        }
    }

    private List<string> Attempt(JsonElement instance, JsonNode schema, string path)
    {
        var errors = new List<string>();
        Check(instance, schema, path, errors, checkUndeclared: true);
        return errors;
    }

    private static bool CheckType(JsonElement instance, JsonObject schema, string path, List<string> errors)
    {
        var types = schema["type"] switch
        {
            JsonArray list => list.Select(t => t!.GetValue<string>()).ToList(),
            JsonValue one => [one.GetValue<string>()],
            _ => null,
        };
        if (types is null)
        {
            return true;
        }

        if (schema["nullable"] is JsonValue nullable && nullable.GetValueKind() == JsonValueKind.True)
        {
            types.Add("null");
        }

        if (types.Any(t => FitsType(instance, t)))
        {
            return true;
        }

        errors.Add($"{path}: {Show(instance)} is not of type {string.Join(" or ", types)}");
        return false;
    }

    private static bool FitsType(JsonElement instance, string type) => type switch
    {
        "null" => instance.ValueKind == JsonValueKind.Null,
        "boolean" => instance.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "string" => instance.ValueKind == JsonValueKind.String,
        "number" => instance.ValueKind == JsonValueKind.Number,
        "integer" => instance.ValueKind == JsonValueKind.Number && (instance.TryGetInt64(out _) || (instance.TryGetDecimal(out var d) && d == decimal.Truncate(d))),
        "array" => instance.ValueKind == JsonValueKind.Array,
        "object" => instance.ValueKind == JsonValueKind.Object,
        _ => false,
    };

    private void CheckString(string value, JsonObject schema, string path, List<string> errors)
    {
        var length = value.EnumerateRunes().Count();
        if (Number(schema, "minLength") is { } min && length < min)
        {
            errors.Add($"{path}: {length} characters, fewer than the {min} required");
        }

        if (Number(schema, "maxLength") is { } max && length > max)
        {
            errors.Add($"{path}: {length} characters, more than the {max} allowed");
        }

        if (schema["pattern"] is JsonValue pattern)
        {
            var text = pattern.GetValue<string>();
            if (!_patterns.TryGetValue(text, out var regex))
            {
                regex = new Regex(text, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
                _patterns[text] = regex;
            }

            if (!regex.IsMatch(value))
            {
                errors.Add($"{path}: '{value}' does not match {text}");
            }
        }
    }

    private static void CheckNumber(JsonElement instance, JsonObject schema, string path, List<string> errors)
    {
        if (!instance.TryGetDecimal(out var value))
        {
            return;
        }

        if (Number(schema, "minimum") is { } min && value < min)
        {
            errors.Add($"{path}: {value.ToString(CultureInfo.InvariantCulture)} is below the minimum {min.ToString(CultureInfo.InvariantCulture)}");
        }

        if (Number(schema, "maximum") is { } max && value > max)
        {
            errors.Add($"{path}: {value.ToString(CultureInfo.InvariantCulture)} is above the maximum {max.ToString(CultureInfo.InvariantCulture)}");
        }

        if (Number(schema, "exclusiveMinimum") is { } exclusiveMin && value <= exclusiveMin)
        {
            errors.Add($"{path}: {value.ToString(CultureInfo.InvariantCulture)} is not above {exclusiveMin.ToString(CultureInfo.InvariantCulture)}");
        }

        if (Number(schema, "exclusiveMaximum") is { } exclusiveMax && value >= exclusiveMax)
        {
            errors.Add($"{path}: {value.ToString(CultureInfo.InvariantCulture)} is not below {exclusiveMax.ToString(CultureInfo.InvariantCulture)}");
        }
    }

    private void CheckArray(JsonElement instance, JsonObject schema, string path, List<string> errors)
    {
        var count = instance.GetArrayLength();
        if (Number(schema, "minItems") is { } min && count < min)
        {
            errors.Add($"{path}: {count} items, fewer than the {min} required");
        }

        if (Number(schema, "maxItems") is { } max && count > max)
        {
            errors.Add($"{path}: {count} items, more than the {max} allowed");
        }

        if (schema["uniqueItems"] is JsonValue unique && unique.GetValueKind() == JsonValueKind.True)
        {
            var texts = instance.EnumerateArray().Select(e => JsonNode.Parse(e.GetRawText())?.ToJsonString() ?? "null").ToList();
            if (texts.Distinct(StringComparer.Ordinal).Count() != texts.Count)
            {
                errors.Add($"{path}: items are not unique");
            }
        }

        if (schema["items"] is { } items)
        {
            var index = 0;
            foreach (var item in instance.EnumerateArray())
            {
                Check(item, items, $"{path}[{index++}]", errors, checkUndeclared: true);
            }
        }
    }

    private void CheckObject(JsonElement instance, JsonObject schema, string path, List<string> errors, bool checkUndeclared)
    {
        var properties = schema["properties"] as JsonObject;
        var count = 0;
        foreach (var property in instance.EnumerateObject())
        {
            count++;
            var where = $"{path}.{property.Name}";
            if (properties is not null && properties.TryGetPropertyValue(property.Name, out var propertySchema) && propertySchema is not null)
            {
                Check(property.Value, propertySchema, where, errors, checkUndeclared: true);
            }
            else if (schema["additionalProperties"] is { } additional)
            {
                Check(property.Value, additional, where, errors, checkUndeclared: true);
            }
            else if (checkUndeclared && RejectUndeclaredProperties && properties is not null && schema["allOf"] is null)
            {
                errors.Add($"{path}: property '{property.Name}' is not declared");
            }
        }

        if (schema["required"] is JsonArray required)
        {
            foreach (var name in required.Select(r => r!.GetValue<string>()).Where(n => !instance.TryGetProperty(n, out _)))
            {
                errors.Add($"{path}: required property '{name}' is missing");
            }
        }

        if (Number(schema, "minProperties") is { } min && count < min)
        {
            errors.Add($"{path}: {count} properties, fewer than the {min} required");
        }

        if (Number(schema, "maxProperties") is { } max && count > max)
        {
            errors.Add($"{path}: {count} properties, more than the {max} allowed");
        }
    }

    private void CollectDeclared(JsonNode schema, HashSet<string> names, int depth)
    {
        if (depth > 32 || schema is not JsonObject o)
        {
            return;
        }

        if (o["$ref"] is JsonValue reference)
        {
            CollectDeclared(Pointer(reference.GetValue<string>()), names, depth + 1);
        }

        if (o["properties"] is JsonObject properties)
        {
            names.UnionWith(properties.Select(p => p.Key));
        }

        foreach (var part in o["allOf"] as JsonArray ?? [])
        {
            CollectDeclared(part!, names, depth + 1);
        }
    }

    private static bool HasProperties(JsonObject schema) => schema["properties"] is not null || schema["allOf"] is not null;

    private static bool AllowsAdditional(JsonNode schema) => schema is JsonObject o && o["additionalProperties"] is { } a && !(a is JsonValue v && v.GetValueKind() == JsonValueKind.False);

    private static decimal? Number(JsonObject schema, string name) =>
        schema[name] is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<decimal>(out var number) ? number : null;

    private static bool JsonEquals(JsonElement instance, JsonNode? expected) =>
        JsonNode.DeepEquals(JsonNode.Parse(instance.GetRawText()), expected);

    private static string Show(JsonElement instance)
    {
        var text = instance.GetRawText();
        return text.Length <= 60 ? text : text[..57] + "...";
    }
}
