using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ChatOps.TestCommon.Schemas;

/// <summary>
/// The one JSON Schema validator the contract tests use for every vendor document: drafts 4, 6 and 7 (the Bot Framework
/// activity schema, Adaptive Cards, the Teams manifest), the schema objects of Swagger 2.0, and OpenAPI 3.0/3.1
/// (Discord). Keywords: <c>$ref</c> to any JSON pointer in the same document (<c>#/definitions/X</c>,
/// <c>#/components/schemas/X</c>), <c>type</c> (one or a list; <c>integer</c> is a number without fraction),
/// OpenAPI 3.0's <c>nullable</c>, <c>enum</c>, <c>const</c>, <c>properties</c>, <c>additionalProperties</c>,
/// <c>patternProperties</c>, <c>required</c>, <c>dependencies</c>, <c>min/maxProperties</c>, <c>items</c> (one schema
/// or a tuple), <c>additionalItems</c>, <c>min/maxItems</c>, <c>uniqueItems</c>, <c>min/maxLength</c> (in code
/// points), <c>pattern</c>, <c>minimum</c>/<c>maximum</c> (with draft 4's boolean and draft 6's numeric exclusives),
/// <c>multipleOf</c>, <c>allOf</c>/<c>anyOf</c>/<c>oneOf</c> (exactly one)/<c>not</c>, <c>if</c>/<c>then</c>/<c>else</c>,
/// and the formats <c>uri</c>, <c>uri-reference</c>, <c>date-time</c> and <c>email</c>. Unknown keywords (descriptions,
/// vendor extensions) are ignored, as the drafts say. Every violation is reported with the instance path and the
/// schema path that refused it.
/// </summary>
/// <remarks>
/// Drafts 4 to 7 say a <c>$ref</c> replaces its siblings; OpenAPI 3.1 (JSON Schema 2020-12) applies them as well, so a
/// document that declares <c>"openapi": "3.1.x"</c> gets the later reading.
/// With <c>rejectUndeclaredProperties</c> an object whose schema lists <c>properties</c> (in itself or its <c>allOf</c>
/// parts) and says nothing of <c>additionalProperties</c> may carry no other property: stricter than JSON Schema, which
/// lets anything else through, so that a misspelt field fails the test instead of being ignored by the vendor.
/// </remarks>
public sealed class JsonSchema
{
    private readonly JsonElement _root;
    private readonly bool _refSiblingsApply;
    private readonly ConcurrentDictionary<string, Regex> _patterns = new(StringComparer.Ordinal);

    public JsonSchema(string documentJson, bool rejectUndeclaredProperties = false)
    {
        using var document = JsonDocument.Parse(documentJson);
        _root = document.RootElement.Clone();
        RejectUndeclaredProperties = rejectUndeclaredProperties;
        _refSiblingsApply = _root.ValueKind == JsonValueKind.Object && _root.TryGetProperty("openapi", out var version)
            && version.ValueKind == JsonValueKind.String && version.GetString()!.StartsWith("3.1", StringComparison.Ordinal);
    }

    public JsonSchema(JsonNode document, bool rejectUndeclaredProperties = false)
        : this((document ?? throw new ArgumentNullException(nameof(document))).ToJsonString(), rejectUndeclaredProperties)
    {
    }

    /// <summary>The whole document, for callers that read more than schemas from it (a swagger's paths).</summary>
    public JsonElement Document => _root;

    /// <summary>Whether an object may carry only the properties its schema declares (see the remarks).</summary>
    public bool RejectUndeclaredProperties { get; }

    /// <summary>Validates <paramref name="instance"/> against the document's root schema.</summary>
    public IReadOnlyList<string> Validate(JsonElement instance) => Validate(instance, "#");

    /// <summary>Validates <paramref name="instance"/> against the schema at <paramref name="location"/> (<c>#/definitions/Activity</c>).</summary>
    public IReadOnlyList<string> Validate(JsonElement instance, string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        var errors = new List<string>();
        Check(instance, Resolve(location), "$", location, errors, depth: 0, checkUndeclared: true);
        return errors;
    }

    /// <summary>Validates the JSON text <paramref name="json"/>.</summary>
    public IReadOnlyList<string> Validate(string json, string location = "#")
    {
        using var document = JsonDocument.Parse(json);
        return Validate(document.RootElement, location);
    }

    /// <summary>
    /// Validates <paramref name="instance"/> against a schema taken from the document (an OpenAPI parameter's or request
    /// body's), its <c>$ref</c>s resolved in the document; every error starts with <paramref name="path"/>.
    /// </summary>
    public IReadOnlyList<string> Validate(JsonElement instance, JsonNode schema, string path = "$")
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(path);
        var errors = new List<string>();
        Check(instance, JsonSerializer.SerializeToElement(schema), path, "#", errors, depth: 0, checkUndeclared: true);
        return errors;
    }

    /// <summary>The schema at a JSON pointer into the document (<c>#/definitions/X</c>, <c>#/properties/a/items</c>).</summary>
    public JsonElement Resolve(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (!location.StartsWith('#'))
        {
            throw new NotSupportedException($"Only references within the document are supported, not '{location}'.");
        }

        var node = _root;
        foreach (var raw in location[1..].Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var part = Uri.UnescapeDataString(raw).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            node = node.ValueKind switch
            {
                JsonValueKind.Object when node.TryGetProperty(part, out var child) => child,
                JsonValueKind.Array when int.TryParse(part, CultureInfo.InvariantCulture, out var index) && index < node.GetArrayLength() => node[index],
                _ => throw new KeyNotFoundException($"'{location}' does not point into the schema document (no '{part}')."),
            };
        }

        return node;
    }

    private void Check(JsonElement instance, JsonElement schema, string path, string at, List<string> errors, int depth, bool checkUndeclared)
    {
        if (depth > 200)
        {
            errors.Add($"{path}: schema recursion deeper than 200 at {at}");
            return;
        }

        if (schema.ValueKind == JsonValueKind.False)
        {
            errors.Add($"{path}: no value is allowed here ({at})");
            return;
        }

        if (schema.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (schema.TryGetProperty("$ref", out var reference) && reference.GetString() is { } target)
        {
            // Properties declared beside the $ref (OpenAPI 3.1) widen the object, so the target alone cannot refuse them.
            var siblingsApply = _refSiblingsApply && schema.EnumerateObject().Any(p => p.Name != "$ref");
            Check(instance, Resolve(target), path, target, errors, depth + 1, checkUndeclared && !(siblingsApply && DeclaresProperties(schema)));
            if (!siblingsApply)
            {
                // Drafts 4 to 7: a $ref replaces its siblings.
                return;
            }
        }

        CheckType(instance, schema, path, at, errors);
        CheckValue(instance, schema, path, at, errors);
        switch (instance.ValueKind)
        {
            case JsonValueKind.Object:
                CheckObject(instance, schema, path, at, errors, depth, checkUndeclared);
                break;
            case JsonValueKind.Array:
                CheckArray(instance, schema, path, at, errors, depth);
                break;
            case JsonValueKind.String:
                CheckString(instance.GetString()!, schema, path, at, errors);
                break;
            case JsonValueKind.Number:
                CheckNumber(instance.GetDouble(), schema, path, at, errors);
                break;
        }

        CheckCombinators(instance, schema, path, at, errors, depth, checkUndeclared);
    }

    private static void CheckType(JsonElement instance, JsonElement schema, string path, string at, List<string> errors)
    {
        if (!schema.TryGetProperty("type", out var type))
        {
            return;
        }

        var allowed = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToList() : [type.GetString()!];
        if (schema.TryGetProperty("nullable", out var nullable) && nullable.ValueKind == JsonValueKind.True)
        {
            // OpenAPI 3.0 says null this way rather than with a "null" type.
            allowed.Add("null");
        }

        if (!allowed.Any(t => IsType(instance, t)))
        {
            errors.Add($"{path}: expected {string.Join(" or ", allowed)}, found {Describe(instance)} ({at})");
        }
    }

    private static bool IsType(JsonElement instance, string type) => type switch
    {
        "object" => instance.ValueKind == JsonValueKind.Object,
        "array" => instance.ValueKind == JsonValueKind.Array,
        "string" => instance.ValueKind == JsonValueKind.String,
        "number" => instance.ValueKind == JsonValueKind.Number,
        "integer" => instance.ValueKind == JsonValueKind.Number && instance.TryGetDouble(out var d) && Math.Floor(d) == d,
        "boolean" => instance.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => instance.ValueKind == JsonValueKind.Null,
        // Swagger's "file" and anything unknown: not ours to refuse.
        _ => true,
    };

    private static void CheckValue(JsonElement instance, JsonElement schema, string path, string at, List<string> errors)
    {
        if (schema.TryGetProperty("enum", out var values) && values.ValueKind == JsonValueKind.Array
            && !values.EnumerateArray().Any(v => JsonElement.DeepEquals(v, instance)))
        {
            errors.Add($"{path}: {Short(instance)} is not one of {Short(values)} ({at})");
        }

        if (schema.TryGetProperty("const", out var constant) && !JsonElement.DeepEquals(constant, instance))
        {
            errors.Add($"{path}: {Short(instance)} is not {Short(constant)} ({at})");
        }
    }

    private void CheckObject(JsonElement instance, JsonElement schema, string path, string at, List<string> errors, int depth, bool checkUndeclared)
    {
        var names = instance.EnumerateObject().Select(p => p.Name).ToList();
        if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!).Where(r => !names.Contains(r, StringComparer.Ordinal)))
            {
                errors.Add($"{path}: required property '{name}' is missing ({at})");
            }
        }

        if (schema.TryGetProperty("minProperties", out var min) && names.Count < min.GetInt32())
        {
            errors.Add($"{path}: {names.Count} properties, fewer than {min.GetInt32()} ({at})");
        }

        if (schema.TryGetProperty("maxProperties", out var max) && names.Count > max.GetInt32())
        {
            errors.Add($"{path}: {names.Count} properties, more than {max.GetInt32()} ({at})");
        }

        var properties = schema.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        var patterns = schema.TryGetProperty("patternProperties", out var pp) && pp.ValueKind == JsonValueKind.Object ? pp : default;
        var additional = schema.TryGetProperty("additionalProperties", out var ap) ? ap : default;
        foreach (var property in instance.EnumerateObject())
        {
            var childPath = $"{path}.{property.Name}";
            var matched = false;
            if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(property.Name, out var propertySchema))
            {
                matched = true;
                Check(property.Value, propertySchema, childPath, $"{at}/properties/{property.Name}", errors, depth + 1, checkUndeclared: true);
            }

            if (patterns.ValueKind == JsonValueKind.Object)
            {
                foreach (var pattern in patterns.EnumerateObject().Where(x => Pattern(x.Name).IsMatch(property.Name)))
                {
                    matched = true;
                    Check(property.Value, pattern.Value, childPath, $"{at}/patternProperties/{pattern.Name}", errors, depth + 1, checkUndeclared: true);
                }
            }

            if (matched)
            {
                continue;
            }

            if (additional.ValueKind == JsonValueKind.False)
            {
                errors.Add($"{childPath}: property '{property.Name}' is not allowed ({at})");
            }
            else if (additional.ValueKind == JsonValueKind.Object)
            {
                Check(property.Value, additional, childPath, $"{at}/additionalProperties", errors, depth + 1, checkUndeclared: true);
            }
            else if (additional.ValueKind == JsonValueKind.Undefined && checkUndeclared && RejectUndeclaredProperties
                && properties.ValueKind == JsonValueKind.Object && !schema.TryGetProperty("allOf", out _))
            {
                errors.Add($"{path}: property '{property.Name}' is not declared ({at})");
            }
        }

        if (schema.TryGetProperty("dependencies", out var dependencies) && dependencies.ValueKind == JsonValueKind.Object)
        {
            foreach (var dependency in dependencies.EnumerateObject().Where(d => names.Contains(d.Name, StringComparer.Ordinal)))
            {
                if (dependency.Value.ValueKind == JsonValueKind.Array)
                {
                    foreach (var needed in dependency.Value.EnumerateArray().Select(n => n.GetString()!).Where(n => !names.Contains(n, StringComparer.Ordinal)))
                    {
                        errors.Add($"{path}: '{dependency.Name}' needs '{needed}' ({at})");
                    }
                }
                else
                {
                    Check(instance, dependency.Value, path, $"{at}/dependencies/{dependency.Name}", errors, depth + 1, checkUndeclared: false);
                }
            }
        }
    }

    private void CheckArray(JsonElement instance, JsonElement schema, string path, string at, List<string> errors, int depth)
    {
        var items = instance.EnumerateArray().ToList();
        if (schema.TryGetProperty("minItems", out var min) && items.Count < min.GetInt32())
        {
            errors.Add($"{path}: {items.Count} items, fewer than {min.GetInt32()} ({at})");
        }

        if (schema.TryGetProperty("maxItems", out var max) && items.Count > max.GetInt32())
        {
            errors.Add($"{path}: {items.Count} items, more than {max.GetInt32()} ({at})");
        }

        if (schema.TryGetProperty("uniqueItems", out var unique) && unique.ValueKind == JsonValueKind.True)
        {
            for (var i = 0; i < items.Count; i++)
            {
                for (var j = i + 1; j < items.Count; j++)
                {
                    if (JsonElement.DeepEquals(items[i], items[j]))
                    {
                        errors.Add($"{path}: items {i} and {j} are equal, and items must be unique ({at})");
                    }
                }
            }
        }

        if (!schema.TryGetProperty("items", out var itemSchema))
        {
            return;
        }

        if (itemSchema.ValueKind == JsonValueKind.Array)
        {
            var tuple = itemSchema.EnumerateArray().ToList();
            var additional = schema.TryGetProperty("additionalItems", out var ai) ? ai : default;
            for (var i = 0; i < items.Count; i++)
            {
                if (i < tuple.Count)
                {
                    Check(items[i], tuple[i], $"{path}[{i}]", $"{at}/items/{i}", errors, depth + 1, checkUndeclared: true);
                }
                else if (additional.ValueKind == JsonValueKind.False)
                {
                    errors.Add($"{path}[{i}]: no item is allowed beyond {tuple.Count} ({at})");
                }
                else if (additional.ValueKind == JsonValueKind.Object)
                {
                    Check(items[i], additional, $"{path}[{i}]", $"{at}/additionalItems", errors, depth + 1, checkUndeclared: true);
                }
            }

            return;
        }

        for (var i = 0; i < items.Count; i++)
        {
            Check(items[i], itemSchema, $"{path}[{i}]", $"{at}/items", errors, depth + 1, checkUndeclared: true);
        }
    }

    private void CheckString(string value, JsonElement schema, string path, string at, List<string> errors)
    {
        // Lengths count code points, as the drafts say.
        var length = value.EnumerateRunes().Count();
        if (schema.TryGetProperty("minLength", out var min) && length < min.GetInt32())
        {
            errors.Add($"{path}: {length} characters, fewer than {min.GetInt32()} ({at})");
        }

        if (schema.TryGetProperty("maxLength", out var max) && length > max.GetInt32())
        {
            errors.Add($"{path}: {length} characters, more than {max.GetInt32()} ({at})");
        }

        if (schema.TryGetProperty("pattern", out var pattern) && !Pattern(pattern.GetString()!).IsMatch(value))
        {
            errors.Add($"{path}: '{Cut(value)}' does not match {pattern.GetString()} ({at})");
        }

        if (schema.TryGetProperty("format", out var format) && !FormatHolds(format.GetString()!, value))
        {
            errors.Add($"{path}: '{Cut(value)}' is not a valid {format.GetString()} ({at})");
        }
    }

    private static bool FormatHolds(string format, string value) => format switch
    {
        "uri" => Uri.TryCreate(value, UriKind.Absolute, out _),
        "uri-reference" => Uri.TryCreate(value, UriKind.RelativeOrAbsolute, out _),
        "date-time" => DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out _) && value.Contains('T', StringComparison.OrdinalIgnoreCase),
        "email" => value.IndexOf('@', StringComparison.Ordinal) > 0,
        _ => true,
    };

    private static void CheckNumber(double value, JsonElement schema, string path, string at, List<string> errors)
    {
        if (schema.TryGetProperty("minimum", out var min))
        {
            var exclusive = schema.TryGetProperty("exclusiveMinimum", out var e) && e.ValueKind == JsonValueKind.True;
            if (value < min.GetDouble() || (exclusive && value == min.GetDouble()))
            {
                errors.Add($"{path}: {value} is below the minimum {min.GetDouble()} ({at})");
            }
        }

        if (schema.TryGetProperty("maximum", out var max))
        {
            var exclusive = schema.TryGetProperty("exclusiveMaximum", out var e) && e.ValueKind == JsonValueKind.True;
            if (value > max.GetDouble() || (exclusive && value == max.GetDouble()))
            {
                errors.Add($"{path}: {value} is above the maximum {max.GetDouble()} ({at})");
            }
        }

        if (schema.TryGetProperty("exclusiveMinimum", out var xmin) && xmin.ValueKind == JsonValueKind.Number && value <= xmin.GetDouble())
        {
            errors.Add($"{path}: {value} is not above {xmin.GetDouble()} ({at})");
        }

        if (schema.TryGetProperty("exclusiveMaximum", out var xmax) && xmax.ValueKind == JsonValueKind.Number && value >= xmax.GetDouble())
        {
            errors.Add($"{path}: {value} is not below {xmax.GetDouble()} ({at})");
        }

        if (schema.TryGetProperty("multipleOf", out var step) && step.GetDouble() > 0 && Math.Abs(Math.IEEERemainder(value, step.GetDouble())) > 1e-9)
        {
            errors.Add($"{path}: {value} is not a multiple of {step.GetDouble()} ({at})");
        }
    }

    private void CheckCombinators(JsonElement instance, JsonElement schema, string path, string at, List<string> errors, int depth, bool checkUndeclared)
    {
        if (schema.TryGetProperty("allOf", out var allOf))
        {
            // The parts together declare the object's properties, so none refuses undeclared ones alone.
            var i = 0;
            foreach (var part in allOf.EnumerateArray())
            {
                Check(instance, part, path, $"{at}/allOf/{i++}", errors, depth + 1, checkUndeclared: false);
            }

            if (checkUndeclared && RejectUndeclaredProperties && instance.ValueKind == JsonValueKind.Object
                && !AllowsAdditional(schema) && !allOf.EnumerateArray().Any(p => AllowsAdditional(Follow(p))))
            {
                var declared = DeclaredProperties(schema, depth: 0);
                foreach (var property in instance.EnumerateObject().Where(p => declared.Count > 0 && !declared.Contains(p.Name)))
                {
                    errors.Add($"{path}: property '{property.Name}' is not declared ({at})");
                }
            }
        }

        if (schema.TryGetProperty("anyOf", out var anyOf))
        {
            var branches = Branches(instance, anyOf, path, $"{at}/anyOf", depth);
            if (!branches.Any(b => b.Count == 0))
            {
                errors.Add($"{path}: matches none of anyOf ({at}); closest: {string.Join("; ", branches.MinBy(b => b.Count)!)}");
            }
        }

        if (schema.TryGetProperty("oneOf", out var oneOf))
        {
            var branches = Branches(instance, oneOf, path, $"{at}/oneOf", depth);
            var passing = branches.Count(b => b.Count == 0);
            if (passing != 1)
            {
                errors.Add(passing == 0
                    ? $"{path}: matches none of oneOf ({at}); closest: {string.Join("; ", branches.MinBy(b => b.Count)!)}"
                    : $"{path}: matches {passing} of oneOf, exactly one is allowed ({at})");
            }
        }

        if (schema.TryGetProperty("not", out var not))
        {
            var inner = new List<string>();
            Check(instance, not, path, $"{at}/not", inner, depth + 1, checkUndeclared: true);
            if (inner.Count == 0)
            {
                errors.Add($"{path}: matches a schema it must not ({at}/not)");
            }
        }

        if (schema.TryGetProperty("if", out var condition))
        {
            var test = new List<string>();
            Check(instance, condition, path, $"{at}/if", test, depth + 1, checkUndeclared: false);
            var branch = test.Count == 0 ? "then" : "else";
            if (schema.TryGetProperty(branch, out var consequence))
            {
                Check(instance, consequence, path, $"{at}/{branch}", errors, depth + 1, checkUndeclared: false);
            }
        }
    }

    private List<List<string>> Branches(JsonElement instance, JsonElement alternatives, string path, string at, int depth)
    {
        var results = new List<List<string>>();
        var i = 0;
        foreach (var alternative in alternatives.EnumerateArray())
        {
            var branch = new List<string>();
            Check(instance, alternative, path, $"{at}/{i++}", branch, depth + 1, checkUndeclared: true);
            results.Add(branch);
        }

        return results;
    }

    /// <summary>The property names a schema declares, in itself and through its <c>$ref</c> and <c>allOf</c> parts.</summary>
    private HashSet<string> DeclaredProperties(JsonElement schema, int depth)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (depth > 32 || schema.ValueKind != JsonValueKind.Object)
        {
            return names;
        }

        if (schema.TryGetProperty("$ref", out var reference) && reference.GetString() is { } target)
        {
            names.UnionWith(DeclaredProperties(Resolve(target), depth + 1));
        }

        if (schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
        {
            names.UnionWith(properties.EnumerateObject().Select(p => p.Name));
        }

        if (schema.TryGetProperty("allOf", out var allOf) && allOf.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in allOf.EnumerateArray())
            {
                names.UnionWith(DeclaredProperties(part, depth + 1));
            }
        }

        return names;
    }

    /// <summary>Follows <c>$ref</c> until a schema without one.</summary>
    private JsonElement Follow(JsonElement schema)
    {
        for (var hops = 0; schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference) && reference.GetString() is { } target; hops++)
        {
            if (hops > 64)
            {
                throw new InvalidOperationException($"$ref cycle at '{target}'.");
            }

            schema = Resolve(target);
        }

        return schema;
    }

    private static bool DeclaresProperties(JsonElement schema) => schema.TryGetProperty("properties", out _) || schema.TryGetProperty("allOf", out _);

    private static bool AllowsAdditional(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind != JsonValueKind.False;

    private Regex Pattern(string pattern) => _patterns.GetOrAdd(pattern, p => new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));

    private static string Describe(JsonElement instance) => instance.ValueKind switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => instance.ValueKind.ToString().ToLowerInvariant(),
    };

    private static string Short(JsonElement element) => Cut(element.GetRawText());

    private static string Cut(string text) => text.Length <= 80 ? text : text[..79] + "…";
}
