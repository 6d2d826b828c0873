using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOps.TestCommon.Schemas;

namespace ChatOps.Integrations.Tests.Schemas;

/// <summary>
/// The schema checks every vendor peer relies on (OpenAPI 3.x for Discord, drafts 4 to 7 for Bot Framework, Adaptive
/// Cards and the Teams manifest): each keyword must refuse what breaks it, or a peer's "no violations" would prove nothing.
/// </summary>
public sealed class JsonSchemaTests
{
    private static readonly JsonNode Document = JsonNode.Parse("""
        {
          "components": { "schemas": {
            "Snowflake": { "type": "string", "pattern": "^(0|[1-9][0-9]*)$" },
            "Button": { "type": "object", "properties": { "type": { "type": "integer", "const": 2 }, "style": { "type": "integer", "enum": [1, 2, 3, 4, 5] }, "label": { "type": ["string", "null"], "maxLength": 5 } }, "required": ["type", "style"] },
            "Text": { "type": "object", "properties": { "type": { "type": "integer", "const": 10 }, "content": { "type": "string", "minLength": 1 } }, "required": ["type", "content"] },
            "Message": { "type": "object", "properties": {
              "id": { "$ref": "#/components/schemas/Snowflake" },
              "flags": { "type": "integer", "minimum": 0, "maximum": 64 },
              "parts": { "type": "array", "maxItems": 2, "uniqueItems": true, "items": { "oneOf": [ { "$ref": "#/components/schemas/Button" }, { "$ref": "#/components/schemas/Text" } ] } },
              "note": { "type": "string", "nullable": true }
            } },
            "WithFiles": { "allOf": [ { "$ref": "#/components/schemas/Message" }, { "type": "object", "properties": { "files[0]": { "type": "string" } } } ] }
          } }
        }
        """)!;

    private static readonly JsonSchema Strict = new(Document, rejectUndeclaredProperties: true);

    [Fact]
    public void Validate_AValidMessage_HasNoErrors()
    {
        Assert.Empty(Check("Message", """{"id":"123","flags":64,"note":null,"parts":[{"type":2,"style":4,"label":"Go"},{"type":10,"content":"hi"}]}"""));
    }

    [Theory]
    [InlineData("""{"id":"0123"}""", "does not match")]
    [InlineData("""{"id":123}""", "expected string, found number")]
    [InlineData("""{"flags":65}""", "above the maximum 64")]
    [InlineData("""{"flags":-1}""", "below the minimum 0")]
    [InlineData("""{"flags":1.5}""", "expected integer, found number")]
    [InlineData("""{"parts":[{"type":2,"style":9}]}""", "matches none of oneOf")]
    [InlineData("""{"parts":[{"type":2,"style":1,"label":"too long"}]}""", "8 characters, more than 5")]
    [InlineData("""{"parts":[{"type":2}]}""", "matches none")]
    [InlineData("""{"parts":[{"type":10,"content":"a"},{"type":10,"content":"a"}]}""", "items must be unique")]
    [InlineData("""{"parts":[{"type":10,"content":"a"},{"type":10,"content":"b"},{"type":10,"content":"c"}]}""", "3 items, more than 2")]
    [InlineData("""{"note":5}""", "expected string or null")]
    [InlineData("""{"nonce":"x"}""", "property 'nonce' is not declared")]
    public void Validate_EachBrokenKeyword_IsReported(string json, string expected)
    {
        var errors = Check("Message", json);

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_AllOf_PropertiesOfEveryPartAreDeclared()
    {
        Assert.Empty(Check("WithFiles", """{"id":"1","files[0]":"x"}"""));
        Assert.Contains(Check("WithFiles", """{"id":"1","files[1]":"x"}"""), e => e.Contains("'files[1]' is not declared", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_NotStrict_LetsUndeclaredPropertiesThrough()
    {
        var lenient = new JsonSchema(Document);

        Assert.Empty(lenient.Validate(Parse("""{"nonce":"x"}"""), Schema("Message")));
    }

    [Theory]
    [InlineData("3.1.0", true)]
    [InlineData("3.0.3", false)]
    public void Validate_SiblingsOfARef_ApplyOnlyInOpenApi31(string version, bool siblingsApply)
    {
        var document = new JsonSchema($$$$$"""{"openapi":"{{{{{version}}}}}","components":{"schemas":{"Name":{"type":"string"},"Short":{"$ref":"#/components/schemas/Name","maxLength":2}}}}""");

        var errors = document.Validate(Parse("\"long\""), "#/components/schemas/Short");

        Assert.Equal(siblingsApply, errors.Any(e => e.Contains("4 characters, more than 2", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("""{"type":"object","required":["a"]}""", """{}""", "required property 'a'")]
    [InlineData("""{"type":"object","properties":{"a":{"enum":["x"]}}}""", """{"a":"y"}""", "is not one of")]
    [InlineData("""{"type":"object","additionalProperties":false}""", """{"b":1}""", "is not allowed")]
    [InlineData("""{"type":"array","maxItems":1,"items":{"type":"integer"}}""", """[1.5,2]""", "more than 1")]
    [InlineData("""{"type":"string","pattern":"^a+$","maxLength":2}""", "\"aaa\"", "more than 2")]
    [InlineData("""{"anyOf":[{"type":"string"},{"type":"number"}]}""", "true", "none of anyOf")]
    [InlineData("""{"oneOf":[{"type":"number"},{"type":"integer"}]}""", "1", "2 of oneOf")]
    [InlineData("""{"definitions":{"d":{"const":"1.29"}},"$ref":"#/definitions/d"}""", "\"1.28\"", "is not \"1.29\"")]
    [InlineData("""{"if":{"properties":{"k":{"const":1}}},"then":{"required":["v"]}}""", """{"k":1}""", "required property 'v'")]
    [InlineData("""{"type":"string","format":"uri"}""", "\"not a uri\"", "not a valid uri")]
    public void Validate_InstanceBreakingTheSchema_ReportsWhy(string schema, string instance, string expected)
    {
        using var json = JsonDocument.Parse(instance);

        var errors = new JsonSchema(schema).Validate(json.RootElement);

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"type":"object","required":["a"],"properties":{"a":{"type":["string","null"]}}}""", """{"a":null}""")]
    [InlineData("""{"type":"integer","minimum":1,"exclusiveMaximum":3}""", "2")]
    [InlineData("""{"patternProperties":{"^x-":{"type":"string"}},"additionalProperties":false}""", """{"x-a":"b"}""")]
    public void Validate_InstanceKeepingTheSchema_NoErrors(string schema, string instance)
    {
        using var json = JsonDocument.Parse(instance);

        Assert.Empty(new JsonSchema(schema).Validate(json.RootElement));
    }

    private static IReadOnlyList<string> Check(string schema, string json) => Strict.Validate(Parse(json), Schema(schema));

    private static JsonNode Schema(string name) => new JsonObject { ["$ref"] = $"#/components/schemas/{name}" };

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
