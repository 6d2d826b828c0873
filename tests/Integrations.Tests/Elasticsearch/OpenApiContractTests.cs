using ChatOps.TestCommon;

namespace ChatOps.Integrations.Tests.Elasticsearch;

/// <summary>The spec checker must reject what the spec forbids, or the contract tests prove nothing.</summary>
public sealed class OpenApiContractTests
{
    private static readonly OpenApiContract Spec = OpenApiContract.Elasticsearch;

    [Theory]
    [InlineData("GET", "/logs/_search", null, "search-2")]
    [InlineData("POST", "/_search", "{\"size\":0}", "search-1")]
    [InlineData("DELETE", "/_pit", "{\"id\":\"abc\"}", "close-point-in-time")]
    [InlineData("PUT", "/logs/_create/1?refresh=wait_for", "{\"a\":1}", "create")]
    public void Check_ValidRequest_NoErrors(string method, string path, string? body, string operationId)
    {
        var request = Request(method, path, body);

        Assert.Empty(Spec.Check(request));
        Assert.Equal(operationId, Spec.OperationId(request));
    }

    [Theory]
    [InlineData("GET", "/logs/_nothing/here/at/all", null, "no path template")]
    [InlineData("PATCH", "/_search", null, "no such method")]
    [InlineData("PUT", "/logs/_create/1?if_seq_no=1&if_primary_term=1", "{\"a\":1}", "'if_seq_no' is not declared")]
    [InlineData("POST", "/logs/_pit", null, "'keep_alive' is missing")]
    [InlineData("POST", "/_search?typed_keys=yes", null, "does not fit its schema")]
    [InlineData("POST", "/_search", "{\"sizes\":0}", "'sizes', which the schema does not list")]
    [InlineData("POST", "/_search", "{\"size\":\"ten\"}", "the schema wants number")]
    [InlineData("POST", "/_search", "{\"query\":{\"term\":{\"user\":{\"case_insensitive\":true}}}}", "lacks required property 'value'")]
    [InlineData("POST", "/_search", "{\"query\":{\"bool\":{\"filters\":[]}}}", "'filters'")]
    [InlineData("POST", "/_search", "{\"aggregations\":{\"x\":{\"date_histogram\":{\"field\":\"t\",\"calendar_interval\":\"5m\"}}}}", "calendar_interval")]
    [InlineData("POST", "/_search", "{\"sort\":[{\"@timestamp\":{\"order\":\"sideways\"}}]}", "sort")]
    [InlineData("DELETE", "/_pit", "{}", "lacks required property 'id'")]
    [InlineData("POST", "/_search", "{\"aggregations\":{\"x\":{\"avg\":{\"field\":\"a\"},\"sum\":{\"field\":\"b\"}}}}", "has 2 of the properties counted")]
    [InlineData("POST", "/_search", "{\"query\":{\"match_all\":{},\"exists\":{\"field\":\"a\"}}}", "has 2 of the properties counted")]
    [InlineData("PUT", "/logs/_doc/1", null, "request body is required")]
    public void Check_RequestOutsideSpec_NamesTheProblem(string method, string path, string? body, string expected)
    {
        var errors = Spec.Check(Request(method, path, body));

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Check_BulkWithUnknownAction_Rejected()
    {
        var body = "{\"upsert\":{\"_index\":\"a\",\"_id\":\"1\"}}\n{\"x\":1}\n";

        var errors = Spec.Check(Request("POST", "/_bulk", body, "application/x-ndjson"));

        Assert.Contains(errors, e => e.Contains("line 1", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_BulkActionWithoutDocumentLine_Rejected()
    {
        var errors = Spec.Check(Request("POST", "/_bulk", "{\"index\":{\"_index\":\"a\"}}\n", "application/x-ndjson"));

        Assert.Contains(errors, e => e.Contains("no document line", StringComparison.Ordinal));
    }

    private static RecordedRequest Request(string method, string pathAndQuery, string? body, string contentType = "application/json") =>
        new(new HttpMethod(method), new Uri(ElasticsearchTestKit.BaseUrl, pathAndQuery.TrimStart('/')), new Dictionary<string, string>(), body is null ? null : contentType, body);
}
