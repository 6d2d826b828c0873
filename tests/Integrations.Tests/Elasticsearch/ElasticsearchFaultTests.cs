using System.Net;
using ChatOps.Integrations.Elasticsearch;
using ChatOps.TestCommon;
using static ChatOps.Integrations.Tests.Elasticsearch.ElasticsearchTestKit;

namespace ChatOps.Integrations.Tests.Elasticsearch;

/// <summary>Retries, typed errors, conflicts and cancellation, against scripted HTTP answers.</summary>
public sealed class ElasticsearchFaultTests
{
    private static readonly SearchRequest Kpi = SearchRequest.For("logs-app") with { Size = 0, Query = Query.MatchAll() };

    [Fact]
    public async Task SearchAsync_429WithRetryAfter_WaitsThatLongThenSucceeds()
    {
        var time = new ObservedTimeProvider();
        var attempts = 0;
        var http = new RecordingHttpMessageHandler(_ => Interlocked.Increment(ref attempts) == 1 ? TooManyRequests(TimeSpan.FromSeconds(7)) : Json(Example("SearchResponseExample1")));
        var sut = CreateSut(http, o => o.RetryBaseDelay = TimeSpan.FromMilliseconds(100), time);

        var search = sut.SearchAsync(Kpi, TestContext.Current.CancellationToken);
        await time.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(7), "the 7 s wait that Retry-After asks for");
        Assert.Single(http.Requests);
        time.Advance(TimeSpan.FromSeconds(7));
        var response = await search;

        Assert.Equal(2, http.Requests.Count);
        Assert.Equal(20, response.Hits!.Total!.Value);
    }

    [Fact]
    public async Task SearchAsync_503Always_RetriesUpToLimitThenThrowsTyped()
    {
        var http = new RecordingHttpMessageHandler(_ => Json(ErrorBody("cluster_block_exception", "blocked by: [SERVICE_UNAVAILABLE/1/state not recovered]", null, 503), HttpStatusCode.ServiceUnavailable));
        var sut = CreateSut(http, o => o.MaxRetries = 2);

        var ex = await Assert.ThrowsAsync<ElasticsearchException>(() => sut.SearchAsync(Kpi, TestContext.Current.CancellationToken));

        Assert.Equal(3, http.Requests.Count);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "cluster_block_exception", "logs-app"), (ex.StatusCode, ex.ErrorType, ex.Index));
        Assert.True(ex.IsTransient);
    }

    [Fact]
    public async Task SearchAsync_400_NotRetriedAndNamesIndexAndReason()
    {
        const string body = """
            {"error":{"root_cause":[{"type":"parsing_exception","reason":"[range] query does not support [foo]","index_uuid":"x","index":"logs-app-2026.11.22"}],
            "type":"search_phase_execution_exception","reason":"all shards failed","phase":"query","grouped":true},"status":400}
            """;
        var http = new RecordingHttpMessageHandler(_ => Json(body, HttpStatusCode.BadRequest));
        var sut = CreateSut(http, o => o.MaxRetries = 3);

        var ex = await Assert.ThrowsAsync<ElasticsearchException>(() => sut.SearchAsync(Kpi, TestContext.Current.CancellationToken));

        Assert.Single(http.Requests);
        Assert.Equal(("logs-app-2026.11.22", "[range] query does not support [foo]"), (ex.Index, ex.Reason));
        Assert.Contains("logs-app-2026.11.22", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[range] query does not support [foo]", ex.Message, StringComparison.Ordinal);
        Assert.False(ex.IsTransient);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, "security_exception")]
    [InlineData(HttpStatusCode.Forbidden, "security_exception")]
    [InlineData(HttpStatusCode.NotFound, "index_not_found_exception")]
    public async Task CountAsync_Other4xx_NotRetriedAndTyped(HttpStatusCode status, string type)
    {
        var http = new RecordingHttpMessageHandler(_ => Json(ErrorBody(type, "no such index [kpis]", "kpis", (int)status), status));
        var sut = CreateSut(http);

        var ex = await Assert.ThrowsAsync<ElasticsearchException>(() => sut.CountAsync(new CountRequest(["kpis"]), TestContext.Current.CancellationToken));

        Assert.Single(http.Requests);
        Assert.Equal((status, type, "kpis"), (ex.StatusCode!.Value, ex.ErrorType, ex.Index));
    }

    [Fact]
    public async Task SearchAsync_ProxyAnswers502WithHtml_RetriedThenReasonQuotesIt()
    {
        var http = new RecordingHttpMessageHandler(_ => new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("<html>502 Bad Gateway</html>") });
        var sut = CreateSut(http, o => o.MaxRetries = 1);

        var ex = await Assert.ThrowsAsync<ElasticsearchException>(() => sut.SearchAsync(Kpi, TestContext.Current.CancellationToken));

        Assert.Equal(2, http.Requests.Count);
        Assert.Contains("502 Bad Gateway", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchAsync_RetryAfterLongerThanAllowed_ThrowsWithRetryAfter()
    {
        var http = new RecordingHttpMessageHandler(_ => TooManyRequests(TimeSpan.FromMinutes(10)));
        var sut = CreateSut(http, o => o.MaxRetryAfter = TimeSpan.FromSeconds(30));

        var ex = await Assert.ThrowsAsync<ElasticsearchException>(() => sut.SearchAsync(Kpi, TestContext.Current.CancellationToken));

        Assert.Single(http.Requests);
        Assert.Equal(TimeSpan.FromMinutes(10), ex.RetryAfter);
    }

    [Fact]
    public async Task SearchAsync_ConnectionRefused_RetriedThenConnectionFailed()
    {
        var handler = new ScriptedHandler((_, _, _) => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (es.test:9200)"));
        var sut = CreateSut(handler, o => o.MaxRetries = 2);

        var ex = await Assert.ThrowsAsync<ElasticsearchException>(() => sut.SearchAsync(Kpi, TestContext.Current.CancellationToken));

        Assert.Equal(3, handler.Attempts);
        Assert.Equal(("connection_failed", null), (ex.ErrorType, ex.StatusCode));
        Assert.IsType<HttpRequestException>(ex.InnerException);
    }

    [Fact]
    public async Task SearchAsync_AttemptNeverAnswers_TimesOutTyped()
    {
        var time = new ObservedTimeProvider();
        var handler = new ScriptedHandler((_, _, ct) => ScriptedHandler.Hang(ct));
        var sut = CreateSut(handler, o => (o.MaxRetries, o.RequestTimeout) = (0, TimeSpan.FromSeconds(5)), time);

        var search = sut.SearchAsync(Kpi, TestContext.Current.CancellationToken);
        await Wait.ForAsync(handler.FirstArrived, "the first request to Elasticsearch");
        time.Advance(TimeSpan.FromSeconds(5));
        var ex = await Assert.ThrowsAsync<ElasticsearchException>(() => Wait.ForAsync(search, "the search to fail"));

        Assert.Equal("timeout", ex.ErrorType);
        Assert.Contains("logs-app", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IndexAsync_GeneratedIdAnd503_NotRetriedToAvoidDuplicates()
    {
        var http = new RecordingHttpMessageHandler(_ => Json(ErrorBody("unavailable_shards_exception", "primary shard is not active", "deployments", 503), HttpStatusCode.ServiceUnavailable));
        var sut = CreateSut(http, o => o.MaxRetries = 3);

        await Assert.ThrowsAsync<ElasticsearchException>(() => sut.IndexAsync(new IndexRequest("deployments", DocumentBody.FromJson("{}")), TestContext.Current.CancellationToken));

        Assert.Single(http.Requests);
    }

    [Fact]
    public async Task IndexAsync_StaleSeqNo_ReturnsConflictNotException()
    {
        var reason = "[42]: version conflict, required seqNo [3], primary term [1]. current document has seqNo [4] and primary term [1]";
        var http = new RecordingHttpMessageHandler(_ => Json(ErrorBody("version_conflict_engine_exception", reason, "alerts", 409), HttpStatusCode.Conflict));
        var sut = CreateSut(http, o => o.MaxRetries = 3);

        var result = await sut.IndexAsync(new IndexRequest("alerts", DocumentBody.FromJson("{\"state\":\"acked\"}")) { Id = "42", IfSeqNo = 3, IfPrimaryTerm = 1 }, TestContext.Current.CancellationToken);

        Assert.Single(http.Requests);
        Assert.Equal((WriteOutcome.Conflict, "alerts", "42"), (result.Outcome, result.Index, result.Id));
        Assert.Equal(reason, result.ConflictReason);
    }

    [Fact]
    public async Task CreateAsync_IdExists_ReturnsConflict()
    {
        var http = new RecordingHttpMessageHandler(_ => Json(ErrorBody("version_conflict_engine_exception", "[run-7]: version conflict, document already exists (current version [1])", "deployments", 409), HttpStatusCode.Conflict));
        var sut = CreateSut(http);

        var result = await sut.CreateAsync(new CreateRequest("deployments", "run-7", DocumentBody.FromJson("{}")), TestContext.Current.CancellationToken);

        Assert.Equal(WriteOutcome.Conflict, result.Outcome);
        Assert.Contains("document already exists", result.ConflictReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BulkAsync_ItemConflictsAndRejections_SurfacedPerItem()
    {
        const string body = """
            {"took":3,"errors":true,"items":[
              {"create":{"_index":"deployments","_id":"run-1","status":409,"error":{"type":"version_conflict_engine_exception","reason":"[run-1]: version conflict, document already exists","index":"deployments"}}},
              {"index":{"_index":"deployments","_id":"run-2","status":429,"error":{"type":"es_rejected_execution_exception","reason":"rejected execution of coordinating operation"}}},
              {"index":{"_index":"deployments","_id":"run-3","_version":1,"result":"created","_seq_no":9,"_primary_term":1,"status":201}}]}
            """;
        var http = new RecordingHttpMessageHandler(_ => Json(body));
        var sut = CreateSut(http);
        var document = DocumentBody.FromJson("{}");

        var response = await sut.BulkAsync(new BulkRequest([BulkOperation.CreateDocument("deployments", "run-1", document), BulkOperation.IndexDocument("deployments", document, "run-2"), BulkOperation.IndexDocument("deployments", document, "run-3")]), TestContext.Current.CancellationToken);

        Assert.Single(http.Requests);
        Assert.Equal(["run-1", "run-2"], response.FailedItems.Select(i => i.Id));
        Assert.True(response.FailedItems[0].IsConflict);
        Assert.Equal("es_rejected_execution_exception", response.FailedItems[1].Error!.Type);
    }

    [Fact]
    public async Task GetAsync_MissingDocument_ReturnsNullButMissingIndexThrows()
    {
        var missingDoc = CreateSut(new RecordingHttpMessageHandler(_ => Json("""{"_index":"alerts","_id":"9","found":false}""", HttpStatusCode.NotFound)));
        var missingIndex = CreateSut(new RecordingHttpMessageHandler(_ => Json(ErrorBody("index_not_found_exception", "no such index [alerts]", "alerts", 404), HttpStatusCode.NotFound)));

        Assert.Null(await missingDoc.GetAsync("alerts", "9", TestContext.Current.CancellationToken));
        var ex = await Assert.ThrowsAsync<ElasticsearchException>(() => missingIndex.GetAsync("alerts", "9", TestContext.Current.CancellationToken));
        Assert.Equal("index_not_found_exception", ex.ErrorType);
    }

    [Fact]
    public async Task ClosePointInTimeAsync_AlreadyExpired_NotAnError()
    {
        var sut = CreateSut(new RecordingHttpMessageHandler(_ => Json("""{"succeeded":true,"num_freed":0}""", HttpStatusCode.NotFound)));

        var result = await sut.ClosePointInTimeAsync("gone", TestContext.Current.CancellationToken);

        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task SearchAsync_CancelledWhileWaiting_ThrowsCancellation()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var handler = new ScriptedHandler((_, _, ct) => ScriptedHandler.Hang(ct));
        var sut = CreateSut(handler);

        var search = sut.SearchAsync(Kpi, cts.Token);
        await Wait.ForAsync(handler.FirstArrived, "the first request to Elasticsearch");
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Wait.ForAsync(search, "the cancelled search to end"));
        Assert.Equal(1, handler.Attempts);
    }

    [Fact]
    public async Task SearchAsync_CancelledDuringBackoff_StopsRetrying()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var time = new ObservedTimeProvider();
        var http = new RecordingHttpMessageHandler(_ => TooManyRequests(TimeSpan.FromSeconds(5)));
        var sut = CreateSut(http, timeProvider: time);

        var search = sut.SearchAsync(Kpi, cts.Token);
        await time.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(5), "the 5 s wait that Retry-After asks for");
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Wait.ForAsync(search, "the cancelled search to end"));
        Assert.Single(http.Requests);
    }

    [Fact]
    public async Task SearchAsync_AlreadyCancelled_SendsNothing()
    {
        var http = new RecordingHttpMessageHandler(_ => Json(Example("SearchResponseExample1")));
        var sut = CreateSut(http);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sut.SearchAsync(Kpi, new CancellationToken(canceled: true)));

        Assert.Empty(http.Requests);
    }

    [Fact]
    public async Task SearchAsync_PointInTimeWithIndices_Refused()
    {
        var http = new RecordingHttpMessageHandler(_ => Json("{}"));
        var sut = CreateSut(http);

        await Assert.ThrowsAsync<ArgumentException>(() => sut.SearchAsync(Kpi with { PointInTime = new("id", TimeSpan.FromMinutes(1)) }, TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentNullException>(() => sut.SearchAsync(null!, TestContext.Current.CancellationToken));
        Assert.Empty(http.Requests);
    }

    [Fact]
    public async Task IndexAsync_HalfOrIdlessCondition_Refused()
    {
        var http = new RecordingHttpMessageHandler(_ => Json("{}"));
        var sut = CreateSut(http);
        var document = DocumentBody.FromJson("{}");

        await Assert.ThrowsAsync<ArgumentException>(() => sut.IndexAsync(new IndexRequest("alerts", document) { Id = "1", IfSeqNo = 3 }, TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentException>(() => sut.IndexAsync(new IndexRequest("alerts", document) { IfSeqNo = 3, IfPrimaryTerm = 1 }, TestContext.Current.CancellationToken));
        Assert.Empty(http.Requests);
    }

    [Fact]
    public void Client_NotConfigured_SaysWhichKeyIsMissing()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => CreateSut(new RecordingHttpMessageHandler(_ => Json("{}")), o => o.Url = null));

        Assert.Contains("Elasticsearch:Url", ex.Message, StringComparison.Ordinal);
    }

    private static HttpResponseMessage TooManyRequests(TimeSpan retryAfter)
    {
        var response = Json(ErrorBody("es_rejected_execution_exception", "rejected execution of search", null, 429), HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(retryAfter);
        return response;
    }
}
