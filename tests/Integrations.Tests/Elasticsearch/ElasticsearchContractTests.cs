using ChatOps.Integrations.Elasticsearch;
using ChatOps.TestCommon;
using static ChatOps.Integrations.Tests.Elasticsearch.ElasticsearchTestKit;

namespace ChatOps.Integrations.Tests.Elasticsearch;

/// <summary>Every request the client makes must be one the vendor's OpenAPI spec describes.</summary>
public sealed class ElasticsearchContractTests
{
    private static readonly DateTimeOffset WindowStart = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
    private readonly RecordingHttpMessageHandler _http = new(AnswerWithExamples);

    [Fact]
    public async Task SearchAsync_KpiWithEveryAggregation_MatchesSpec()
    {
        var sut = CreateSut(_http);
        var request = SearchRequest.For("logs-app-*", "logs-web") with
        {
            Size = 0,
            TrackTotalHits = false,
            Query = Query.Bool() with
            {
                Filter = [Query.TimeRange("@timestamp", WindowStart, WindowStart.AddMinutes(5)), Query.Term("event.action", "login"), Query.Terms("host.name", "a", "b"), Query.Exists("user.id")],
                Must = [Query.QueryString("status:200 AND NOT path:/health") with { DefaultOperator = "AND" }],
                MustNot = [Query.Range("http.response.bytes") with { Gt = 1_000_000L }],
                Should = [Query.MatchAll()],
                MinimumShouldMatch = 0,
            },
            Aggregations = new Dictionary<string, Aggregation>
            {
                ["per_minute"] = Aggregation.DateHistogram("@timestamp", TimeSpan.FromMinutes(1)) with
                {
                    MinDocCount = 0,
                    ExtendedBounds = (WindowStart, WindowStart.AddMinutes(5)),
                    Aggregations = new Dictionary<string, Aggregation> { ["latency"] = Aggregation.Avg("event.duration") },
                },
                ["by_status"] = Aggregation.Terms("http.response.status_code", 5) with
                {
                    Aggregations = new Dictionary<string, Aggregation> { ["bytes"] = Aggregation.Sum("http.response.bytes") },
                },
                ["avg_latency"] = Aggregation.Avg("event.duration"),
                ["bytes"] = Aggregation.Sum("http.response.bytes"),
                ["p95"] = Aggregation.Percentiles("event.duration", 50, 95, 99.9),
                ["users"] = Aggregation.Cardinality("user.id"),
                ["requests"] = Aggregation.ValueCount("event.id"),
                ["fastest"] = Aggregation.Min("event.duration"),
                ["slowest"] = Aggregation.Max("event.duration"),
            },
        };

        await sut.SearchAsync(request, TestContext.Current.CancellationToken);

        AssertAllMatchSpec("search-3");
        Assert.Contains("\"size\":0", _http.Requests[0].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchAsync_PointInTimeWithSearchAfter_MatchesSpec()
    {
        var sut = CreateSut(_http);
        var request = new SearchRequest
        {
            Size = 500,
            PointInTime = new PointInTimeReference("46ToAwMDaWR5BXV1aWQy", TimeSpan.FromMinutes(1)),
            Sort = [new SortField("@timestamp"), new SortField("kibana.alert.severity", SortOrder.Descending), SortField.ShardDoc],
            SearchAfter = SortCursor.Parse("[1732262400000, \"critical\", 42]"),
            Query = Query.Range("@timestamp") with { Gte = "now-1d/d" },
            SeqNoPrimaryTerm = true,
        };

        await sut.SearchAsync(request, TestContext.Current.CancellationToken);

        AssertAllMatchSpec("search-1");
        Assert.Equal("/_search", _http.Requests[0].Uri.AbsolutePath);
        Assert.Contains("\"search_after\":[1732262400000,\"critical\",42]", _http.Requests[0].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchAsync_PlainHitsWithoutSource_MatchesSpec()
    {
        var sut = CreateSut(_http);

        await sut.SearchAsync(SearchRequest.For("deployments") with { Query = Query.MatchAll(), Size = 20, From = 40, Source = false, TrackTotalHits = true }, TestContext.Current.CancellationToken);

        AssertAllMatchSpec("search-3");
    }

    [Fact]
    public async Task CountAsync_WithAndWithoutQuery_MatchesSpec()
    {
        var sut = CreateSut(_http);

        await sut.CountAsync(new CountRequest(["logs-*"]) { Query = Query.QueryString("user.id:kimchy") }, TestContext.Current.CancellationToken);
        await sut.CountAsync(new CountRequest(["logs-*"]), TestContext.Current.CancellationToken);

        AssertAllMatchSpec("count-2", "count-2");
    }

    [Fact]
    public async Task PointInTime_OpenAndClose_MatchSpec()
    {
        var sut = CreateSut(_http);

        var pit = await sut.OpenPointInTimeAsync(new OpenPointInTimeRequest([".alerts-*"], TimeSpan.FromMinutes(1)) { AllowPartialSearchResults = false, IgnoreUnavailable = true }, TestContext.Current.CancellationToken);
        await sut.ClosePointInTimeAsync(pit.Id, TestContext.Current.CancellationToken);

        AssertAllMatchSpec("open-point-in-time", "close-point-in-time");
        Assert.Contains("keep_alive=1m", _http.Requests[0].Uri.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BulkAsync_EveryActionKind_MatchesSpec()
    {
        var sut = CreateSut(_http);
        var document = DocumentBody.FromJson("""{ "@timestamp": "2026-11-22T09:00:00Z", "message": "deployed\nv1.2" }""");
        var request = new BulkRequest(
        [
            BulkOperation.IndexDocument("deployments", document, "run-1"),
            BulkOperation.IndexDocument("deployments", document),
            BulkOperation.IndexDocument("alerts", document, "a-1") with { IfSeqNo = 7, IfPrimaryTerm = 1 },
            BulkOperation.CreateDocument("deployments", "run-2", document),
            BulkOperation.DeleteDocument("deployments", "run-0"),
        ])
        { Refresh = Refresh.WaitFor };

        await sut.BulkAsync(request, TestContext.Current.CancellationToken);

        AssertAllMatchSpec("bulk");
        var lines = _http.Requests[0].Body!.TrimEnd('\n').Split('\n');
        Assert.Equal(9, lines.Length);
        Assert.Equal("application/x-ndjson", _http.Requests[0].ContentType);
    }

    [Fact]
    public async Task IndexAsync_ConditionalWithIdAndGeneratedId_MatchSpec()
    {
        var sut = CreateSut(_http);
        var document = DocumentBody.FromJson("""{ "state": "acknowledged" }""");

        await sut.IndexAsync(new IndexRequest("alerts", document) { Id = "alert/42", IfSeqNo = 3, IfPrimaryTerm = 1, Refresh = Refresh.True, Pipeline = "stamp" }, TestContext.Current.CancellationToken);
        await sut.IndexAsync(new IndexRequest("alerts", document), TestContext.Current.CancellationToken);

        AssertAllMatchSpec("index", "index-2");
        Assert.Equal("/alerts/_doc/alert%2F42", _http.Requests[0].Uri.AbsolutePath);
    }

    [Fact]
    public async Task CreateAsync_WithRefresh_MatchesSpec()
    {
        var sut = CreateSut(_http);

        await sut.CreateAsync(new CreateRequest("deployments", "run-7", DocumentBody.FromJson("""{"verb":"up"}""")) { Refresh = Refresh.False }, TestContext.Current.CancellationToken);

        AssertAllMatchSpec("create");
    }

    [Fact]
    public async Task GetHealthAndInfo_MatchSpec()
    {
        var sut = CreateSut(_http);

        await sut.GetAsync("alerts", "42", TestContext.Current.CancellationToken);
        await sut.ClusterHealthAsync(cancellationToken: TestContext.Current.CancellationToken);
        await sut.ClusterHealthAsync(new ClusterHealthRequest { Indices = ["logs-*"], Timeout = TimeSpan.FromSeconds(5) }, TestContext.Current.CancellationToken);
        await sut.InfoAsync(TestContext.Current.CancellationToken);

        AssertAllMatchSpec("get", "cluster-health", "cluster-health-1", "info");
    }

    private void AssertAllMatchSpec(params string[] operationIds)
    {
        var requests = _http.Requests;
        Assert.Equal(operationIds.Length, requests.Count);
        for (var i = 0; i < requests.Count; i++)
        {
            var errors = OpenApiContract.Elasticsearch.Check(requests[i]);
            Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
            Assert.Equal(operationIds[i], OpenApiContract.Elasticsearch.OperationId(requests[i]));
        }
    }
}
