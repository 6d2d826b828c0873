using System.Text.Json;
using ChatOps.Integrations.Elasticsearch;
using ChatOps.TestCommon;
using static ChatOps.Integrations.Tests.Elasticsearch.ElasticsearchTestKit;

namespace ChatOps.Integrations.Tests.Elasticsearch;

/// <summary>Each response example the vendor documents parses with the client's typed response.</summary>
public sealed class ElasticsearchResponseExampleTests
{
    /// <summary>Response examples of APIs this client does not call, and why; everything else must be parsed below.</summary>
    private static readonly Dictionary<string, string> NotCalled = new()
    {
        ["DeleteByQueryResponseExample1"] = "the client never deletes by query",
    };

    private static readonly string[] Parsed =
    [
        "BulkResponseExample1", "BulkResponseExample2", "BulkResponseExample3", "ClosePointInTimeResponseExample1",
        "CountResponseExample1", "CreateResponseExample1", "DeleteResponseExample1", "GetResponseExample1", "GetResponseExample2",
        "GetResponseExample3", "IndexResponseExample1", "IndexResponseExample2", "RootNodeInfoResponseExample1",
        "RootNodeInfoResponseExample2", "OpenPointInTimeResponseExample1", "SearchResponseExample1", "UpdateResponseExample1",
        "ClusterHealthResponseExample1",
    ];

    [Fact]
    public void EveryResponseExample_IsParsedOrExplained()
    {
        var responses = ExampleKeys.Where(k => k.Contains("/examples/response/", StringComparison.Ordinal) || k.Contains("_response/", StringComparison.Ordinal))
            .Select(k => Path.GetFileNameWithoutExtension(k)).ToHashSet();

        Assert.Equal(responses.Order(), Parsed.Concat(NotCalled.Keys).Order());
    }

    [Fact]
    public async Task Search_Example1_ParsesHitsAndShards()
    {
        var response = await Answer("SearchResponseExample1").SearchAsync(SearchRequest.For("my-index-000001"), TestContext.Current.CancellationToken);

        Assert.Equal(5, response.Took);
        Assert.False(response.IsPartial);
        Assert.Equal(new TotalHits(20, "eq"), response.Hits!.Total);
        var hit = Assert.Single(response.Documents);
        Assert.Equal(("my-index-000001", "0"), (hit.Index, hit.Id));
        Assert.Equal(1.3862942, hit.Score!.Value, 6);
        Assert.Equal("kimchy", hit.Source!.Value.GetProperty("user").GetProperty("id").GetString());
        Assert.False(response.Aggregations.Contains("anything"));
    }

    [Fact]
    public async Task Count_Example1_ParsesCount()
    {
        var response = await Answer("CountResponseExample1").CountAsync(new CountRequest(["my-index-000001"]), TestContext.Current.CancellationToken);

        Assert.Equal(1, response.Count);
        Assert.Equal(new ShardStatistics(1, 1, 0, 0), response.Shards);
    }

    [Fact]
    public async Task PointInTime_Examples_ParseIdAndFreed()
    {
        var pit = await Answer("OpenPointInTimeResponseExample1").OpenPointInTimeAsync(new OpenPointInTimeRequest(["my-index-000001"], TimeSpan.FromMinutes(1)), TestContext.Current.CancellationToken);
        var closed = await Answer("ClosePointInTimeResponseExample1").ClosePointInTimeAsync(pit.Id, TestContext.Current.CancellationToken);

        Assert.StartsWith("46ToAwMDaWR5BXV1aWQy", pit.Id, StringComparison.Ordinal);
        Assert.Equal(10, pit.Shards!.Successful);
        Assert.Equal(new ClosePointInTimeResponse(true, 3), closed);
    }

    [Fact]
    public async Task Bulk_Example1_AllSucceeded()
    {
        var response = await Answer("BulkResponseExample1").BulkAsync(new BulkRequest([BulkOperation.DeleteDocument("test", "2")]), TestContext.Current.CancellationToken);

        Assert.False(response.Errors);
        Assert.Equal(["index", "delete", "create", "update"], response.Items.Select(i => i.Action));
        Assert.Equal([201, 404, 201, 200], response.Items.Select(i => i.Status));
        Assert.Equal(3, response.Items[3].Body.SeqNo);
        Assert.Empty(response.FailedItems);
    }

    [Fact]
    public async Task Bulk_Example2_SurfacesItemErrors()
    {
        var response = await Answer("BulkResponseExample2").BulkAsync(new BulkRequest([BulkOperation.DeleteDocument("index1", "5")]), TestContext.Current.CancellationToken);

        Assert.True(response.Errors);
        Assert.Equal(2, response.FailedItems.Count);
        var first = response.FailedItems[0];
        Assert.Equal(("update", "5", 404), (first.Action, first.Id, first.Status));
        Assert.Equal(("document_missing_exception", "[5]: document missing", "index1"), (first.Error!.Type, first.Error.Reason, first.Error.Index));
        Assert.Equal("created", response.Items[2].Body.Result);
    }

    [Fact]
    public async Task Bulk_Example3_FilteredToErrorsOnly()
    {
        var response = await Answer("BulkResponseExample3").BulkAsync(new BulkRequest([BulkOperation.DeleteDocument("index1", "5")]), TestContext.Current.CancellationToken);

        Assert.Equal(2, response.FailedItems.Count);
        Assert.Equal("[6]: document missing", response.FailedItems[1].Error!.Reason);
    }

    [Theory]
    [InlineData("CreateResponseExample1", "1", WriteOutcome.Created, 0L)]
    [InlineData("IndexResponseExample1", "W0tpsmIBdwcYyG50zbta", WriteOutcome.Created, 0L)]
    [InlineData("IndexResponseExample2", "1", WriteOutcome.Created, 0L)]
    public async Task Write_Examples_ParseOutcome(string example, string id, WriteOutcome outcome, long seqNo)
    {
        var sut = Answer(example);
        var document = DocumentBody.FromJson("{}");

        var result = example.StartsWith("Create", StringComparison.Ordinal)
            ? await sut.CreateAsync(new CreateRequest("my-index-000001", id, document), TestContext.Current.CancellationToken)
            : await sut.IndexAsync(new IndexRequest("my-index-000001", document), TestContext.Current.CancellationToken);

        Assert.Equal(("my-index-000001", id, outcome, seqNo, 1L), (result.Index, result.Id, result.Outcome, result.SeqNo!.Value, result.PrimaryTerm!.Value));
        Assert.Equal(1, result.Version);
    }

    [Theory]
    [InlineData("DeleteResponseExample1", WriteOutcome.Deleted, 5L)]
    [InlineData("UpdateResponseExample1", WriteOutcome.Noop, 1L)]
    public void WriteShaped_Examples_ParseAsWriteResult(string example, WriteOutcome outcome, long seqNo)
    {
        // Delete and update share the write-result shape that bulk items and index/create return.
        var result = JsonSerializer.Deserialize(Example(example), ElasticsearchJsonContext.Default.WriteResult)!;

        Assert.Equal((outcome, seqNo, 2L), (result.Outcome, result.SeqNo!.Value, result.Version!.Value));
    }

    [Fact]
    public async Task Get_Example1_ParsesSourceAndConcurrencyTokens()
    {
        var result = await Answer("GetResponseExample1").GetAsync("my-index-000001", "0", TestContext.Current.CancellationToken);

        Assert.NotNull(result);
        Assert.True(result.Found);
        Assert.Equal((0L, 1L), (result.SeqNo!.Value, result.PrimaryTerm!.Value));
        Assert.Equal(1070000, result.Source!.Value.GetProperty("http").GetProperty("response").GetProperty("bytes").GetInt32());
    }

    [Theory]
    [InlineData("GetResponseExample2", "production", null)]
    [InlineData("GetResponseExample3", "env2", "user1")]
    public async Task Get_StoredFieldExamples_ParseFields(string example, string tag, string? routing)
    {
        var result = await Answer(example).GetAsync("my-index-000001", "1", TestContext.Current.CancellationToken);

        Assert.Equal(tag, result!.Fields!.Value.GetProperty("tags")[0].GetString());
        Assert.Equal(routing, result.Routing);
        Assert.Null(result.Source);
    }

    [Fact]
    public async Task ClusterHealth_Example1_ParsesStatus()
    {
        var health = await Answer("ClusterHealthResponseExample1").ClusterHealthAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(("testcluster", HealthStatus.Yellow, 1, 1), (health.ClusterName, health.Health, health.NumberOfNodes, health.UnassignedShards));
        Assert.Equal(50.0, health.ActiveShardsPercent);
    }

    [Theory]
    [InlineData("RootNodeInfoResponseExample1", "my_test_cluster", "9.1.0", "default")]
    [InlineData("RootNodeInfoResponseExample2", "my_test_serverless_cluster", "9.4.0", "serverless")]
    public async Task Info_Examples_ParseVersion(string example, string cluster, string version, string flavor)
    {
        var info = await Answer(example).InfoAsync(TestContext.Current.CancellationToken);

        Assert.Equal((cluster, version, flavor), (info.ClusterName, info.Version.Number, info.Version.BuildFlavor));
    }

    private static ElasticsearchClient Answer(string example) => CreateSut(new RecordingHttpMessageHandler(_ => Json(Example(example))));
}
