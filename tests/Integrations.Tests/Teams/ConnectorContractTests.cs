using System.Text.Json;
using ChatOps.TestCommon.Schemas;
using ChatOps.TestCommon.Teams;

namespace ChatOps.Integrations.Tests.Teams;

/// <summary>The checks the Connector peer applies can fail: calls, activities and schemas that break the published contract are reported.</summary>
public sealed class ConnectorContractTests
{
    private const string Card = """{"type":"AdaptiveCard","version":"1.5","body":[{"type":"TextBlock","text":"hi"}]}""";

    [Fact]
    public void Check_ValidSend_NoViolations()
    {
        var body = $$"""{"type":"message","channelId":"msteams","conversation":{"id":"19:a"},"attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","content":{{Card}}}]}""";

        Assert.Empty(ConnectorContract.Instance.Check("POST", "/v3/conversations/19%3Aa/activities", "Bearer t", body));
    }

    [Theory]
    [InlineData("GET", "/v3/conversations/19%3Aa/activities", "no such operation")]
    [InlineData("POST", "/v3/chats/19%3Aa", "no such operation")]
    public void Check_OperationNotInTheSwagger_Reported(string method, string path, string expected)
    {
        Assert.Contains(ConnectorContract.Instance.Check(method, path, "Bearer t", "{}"), v => v.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Check_NoToken_Reported()
    {
        Assert.Contains(ConnectorContract.Instance.Check("DELETE", "/v3/conversations/a/activities/1", null, ""), v => v.Contains("bearer", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_ActivityWithoutConversationAndABadCard_BothReported()
    {
        var body = """{"type":"message","channelId":"msteams","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","content":{"type":"AdaptiveCard","body":[{"type":"TextBlok","text":"hi"}]}}]}""";

        var violations = ConnectorContract.Instance.Check("POST", "/v3/conversations/a/activities", "Bearer t", body);

        Assert.Contains(violations, v => v.Contains("'conversation'", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("attachments[0]", StringComparison.Ordinal) && v.Contains("$.body[0]", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_UpdatePathWithActivityId_TheUpdateOperationAndItsBodySchema()
    {
        Assert.Equal("/v3/conversations/{conversationId}/activities/{activityId}", ConnectorContract.Instance.OperationOf("PUT", "/v3/conversations/a/activities/17"));
        Assert.Equal("/v3/conversations/{conversationId}/activities/history", ConnectorContract.Instance.OperationOf("POST", "/v3/conversations/a/activities/history"));
        Assert.Contains(ConnectorContract.Instance.Check("PUT", "/v3/conversations/a/activities/17", "Bearer t", """{"type": 5}"""), v => v.Contains("expected string", StringComparison.Ordinal));
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
}
