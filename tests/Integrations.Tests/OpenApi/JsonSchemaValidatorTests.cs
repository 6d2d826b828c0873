using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOps.TestCommon.Discord;
using ChatOps.TestCommon.OpenApi;

namespace ChatOps.Integrations.Tests.OpenApi;

/// <summary>
/// The schema checks the vendor peers rely on: each keyword must refuse what breaks it, or a peer's "no violations"
/// would prove nothing.
/// </summary>
public sealed class JsonSchemaValidatorTests
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

    private static readonly JsonSchemaValidator Strict = new(Document, rejectUndeclaredProperties: true);

    [Fact]
    public void Validate_AValidMessage_HasNoErrors()
    {
        Assert.Empty(Check("Message", """{"id":"123","flags":64,"note":null,"parts":[{"type":2,"style":4,"label":"Go"},{"type":10,"content":"hi"}]}"""));
    }

    [Theory]
    [InlineData("""{"id":"0123"}""", "does not match")]
    [InlineData("""{"id":123}""", "is not of type string")]
    [InlineData("""{"flags":65}""", "above the maximum 64")]
    [InlineData("""{"flags":-1}""", "below the minimum 0")]
    [InlineData("""{"flags":1.5}""", "is not of type integer")]
    [InlineData("""{"parts":[{"type":2,"style":9}]}""", "matches none of the 2 oneOf alternatives")]
    [InlineData("""{"parts":[{"type":2,"style":1,"label":"too long"}]}""", "more than the 5 allowed")]
    [InlineData("""{"parts":[{"type":2}]}""", "matches none")]
    [InlineData("""{"parts":[{"type":10,"content":"a"},{"type":10,"content":"a"}]}""", "not unique")]
    [InlineData("""{"parts":[{"type":10,"content":"a"},{"type":10,"content":"b"},{"type":10,"content":"c"}]}""", "more than the 2 allowed")]
    [InlineData("""{"note":5}""", "is not of type string or null")]
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
        var lenient = new JsonSchemaValidator(Document);

        Assert.Empty(lenient.Validate(Parse("""{"nonce":"x"}"""), Schema("Message")));
    }

    [Fact]
    public void Check_DiscordDocument_UnknownPathMethodAndBadSnowflakeAreRefused()
    {
        var validator = DiscordSpec.Validator;

        Assert.Contains("no path of the document matches", Assert.Single(validator.Check(new OpenApiRequest("GET", "/channels/1/nothing-here", [], null, null, []))), StringComparison.Ordinal);
        Assert.Contains("declares no PUT", Assert.Single(validator.Check(new OpenApiRequest("PUT", "/channels/1/messages", [], null, null, []))), StringComparison.Ordinal);
        Assert.Contains(validator.Check(new OpenApiRequest("POST", "/channels/general/messages", [], "application/json; charset=utf-8", """{"content":"x"}""", [])), e => e.Contains("channel_id", StringComparison.Ordinal));
        Assert.Contains(validator.Check(new OpenApiRequest("POST", "/channels/1/messages", [], "text/plain", "x", [])), e => e.Contains("content type 'text/plain'", StringComparison.Ordinal));
        Assert.Contains(validator.Check(new OpenApiRequest("POST", "/channels/1/messages", [], null, null, [])), e => e.Contains("the request body is required", StringComparison.Ordinal));
        Assert.Contains(validator.Check(new OpenApiRequest("POST", "/channels/1/messages", [new("walt", "1")], "application/json", """{"content":"x"}""", [])), e => e.Contains("query parameter 'walt' is not declared", StringComparison.Ordinal));
        Assert.Empty(validator.Check(new OpenApiRequest("PATCH", "/webhooks/1/tok/messages/@original", [], "application/json", """{"content":"x"}""", [])));
    }

    private static IReadOnlyList<string> Check(string schema, string json) => Strict.Validate(Parse(json), Schema(schema));

    private static JsonNode Schema(string name) => new JsonObject { ["$ref"] = $"#/components/schemas/{name}" };

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
