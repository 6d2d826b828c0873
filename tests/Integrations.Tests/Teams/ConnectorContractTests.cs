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
}
