using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ChatOps.Bot.Api;
using ChatOps.Bot.Environments;
using ChatOps.Bot.Tests.Hosting;
using ChatOps.Bot.Tests.Workflows;
using ChatOps.Bot.Watch;
using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Infrastructure;
using ChatOps.Integrations.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Bot.Tests.Api;

/// <summary>The read-only JSON API over a real state store, served by real Kestrel.</summary>
public sealed class ApiEndpointsTests : IAsyncLifetime
{
    private TestState _state = null!;
    private LoopbackApp _app = null!;

    public async ValueTask InitializeAsync()
    {
        _state = await TestState.CreateAsync();
        var catalog = TestState.FakeCatalog();
        var snapshots = new EnvironmentSnapshots(new ComputeProviders([new FakeProvider()]), _state.Database, _state.Runs, _state.Locks, new NoLoadBalancer());
        _app = await LoopbackApp.StartAsync(
            services => services.AddSingleton(catalog).AddSingleton(snapshots).AddSingleton(_state.Runs).AddSingleton(_state.Messages).AddSingleton(_state.Audit),
            app => app.MapReadApi());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _state.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path)
    {
        using var response = await _app.Client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken));
    }

    private static NewRun Run(string verb = "up") =>
        new("test", verb, new Dictionary<string, string> { ["version"] = "7" }, "webchat:alice", "alice", new ChatDestination("webchat", "ops"),
            [new RunStep("Start web1", StepState.Pending)]);

    [Theory]
    [InlineData("/api/runs?limit=0")]
    [InlineData("/api/runs?limit=501")]
    [InlineData("/api/audit?limit=0")]
    public async Task Get_LimitOutOfRange_Is400NamingTheRange(string path)
    {
        var (status, body) = await GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("`limit` must be from 1 to 500.", body.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/api/runs?env=nope")]
    [InlineData("/api/environments/nope")]
    public async Task Get_UnknownEnvironment_Is404NamingIt(string path)
    {
        var (status, body) = await GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("There is no environment `nope`.", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task GetRun_Unknown_Is404()
    {
        var (status, body) = await GetAsync("/api/runs/42");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("There is no run 42.", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task GetRuns_RunAwaitingConfirmation_IsListedWithItsStepsAndNoMessageYet()
    {
        var run = await _state.Runs.CreateAwaitingAsync(Run("halt"), RunStatus.AwaitingConfirmation, TestContext.Current.CancellationToken);

        var (status, body) = await GetAsync("/api/runs?env=TEST");

        Assert.Equal(HttpStatusCode.OK, status);
        var listed = Assert.Single(body.EnumerateArray());
        Assert.Equal(run.Id, listed.GetProperty("id").GetInt64());
        Assert.Equal("awaiting-confirmation", listed.GetProperty("status").GetString());
        Assert.Equal("halt", listed.GetProperty("verb").GetString());
        Assert.Equal("7", listed.GetProperty("arguments").GetProperty("version").GetString());
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("messageId").ValueKind);
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("approvedBy").ValueKind);
        Assert.Equal("Start web1", listed.GetProperty("steps")[0].GetProperty("name").GetString());
        Assert.Equal("pending", listed.GetProperty("steps")[0].GetProperty("state").GetString());
    }

    [Fact]
    public async Task GetEnvironment_HeldByARun_ShowsTheLeaseTheLastRunAndWhatTheProviderSees()
    {
        var acquired = Assert.IsType<LeaseOutcome.Acquired>(await _state.Runs.CreateWithLeaseAsync(Run(), TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken));

        var (status, body) = await GetAsync("/api/environments/test");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("test", body.GetProperty("name").GetString());
        Assert.Equal("unknown", body.GetProperty("state").GetString());
        Assert.Equal(acquired.Run.Id, body.GetProperty("lease").GetProperty("runId").GetInt64());
        Assert.Equal("alice", body.GetProperty("lease").GetProperty("holder").GetString());
        Assert.Equal(acquired.Run.Id, body.GetProperty("lastRun").GetProperty("id").GetInt64());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("lock").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("incident").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("loadBalancer").ValueKind);
    }

    [Fact]
    public async Task GetEnvironments_ListsEveryConfiguredEnvironmentInNameOrder()
    {
        var (status, body) = await GetAsync("/api/environments");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["dev", "prod", "test"], body.EnumerateArray().Select(e => e.GetProperty("name").GetString()));
    }
}
