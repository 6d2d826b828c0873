using System.Net;
using ChatOps.Bot.FunctionalTests.Infrastructure;
using ChatOps.Bot.FunctionalTests.Slack;
using ChatOps.Integrations.Storage;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Processes;
using ChatOps.TestCommon.Slack;

namespace ChatOps.Bot.FunctionalTests.Replicas;

/// <summary>
/// Bot processes on one shared store (a SQLite file, or a PostgreSQL database) act as one bot: a delivery sent to every replica runs once; kill -9 of
/// the replica holding a run leaves it to another, which closes it and edits its message; a second live replica with the
/// same name is refused. The pulse's handover is in <see cref="ReplicaPulseTests"/>, alerts in <see cref="ReplicaAlertTests"/>.
/// </summary>
public sealed class ReplicaTests
{
    // Nodes warm up long enough that the run is surely in flight when its replica is killed.
    private static Dictionary<string, string> SlowNodes => new()
    {
        ["Local__NodeProgram"] = BotProcess.DotnetHost,
        ["Local__NodeArguments__0"] = BotProcess.BotAssembly,
        ["Local__NodeArguments__1"] = "node",
        ["Local__NodeArguments__2"] = "--warmup",
        ["Local__NodeArguments__3"] = "60",
    };

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task SlackEvent_SentToEveryReplica_RunsOnce(StorageProvider provider)
    {
        await using var peer = await SlackPeer.StartAsync(TestContext.Current.CancellationToken);
        await using var set = await ReplicaSet.StartAsync(3, new Dictionary<string, string>
        {
            ["Slack__SigningSecret"] = SlackHost.SigningSecret,
            ["Slack__BotToken"] = SlackPeer.BotToken,
            ["Slack__ApiBaseUrl"] = peer.ApiBaseUrl.ToString(),
        }, provider);
        var delivery = SlackDeliveries.Event("Ev0REPLICA1", "U0CAROL", SlackHost.Channel, "<@U0BOT> status dev");

        foreach (var bot in set.Bots.Values)
        {
            using var response = await new SlackDeliveries(bot.Http, SlackHost.SigningSecret).EventAsync(delivery);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await Wait.UntilAsync(
            async () => await set.ScalarAsync("SELECT state FROM inbox WHERE delivery_id = 'Ev0REPLICA1'") is "done"
                && (long)(await set.ScalarAsync("SELECT COUNT(*) FROM chat_outbox WHERE status IN ('pending', 'claimed')"))! == 0,
            "the delivery to be handled and its answer sent", within: TimeSpan.FromMinutes(1), lastSeen: () => set.Output);

        Assert.Equal(1L, await set.ScalarAsync("SELECT COUNT(*) FROM inbox WHERE delivery_id = 'Ev0REPLICA1'"));
        var answers = peer.MessagesIn(SlackHost.Channel).Where(m => m.Text.Contains("dev", StringComparison.Ordinal)).ToList();
        Assert.True(answers.Count == 1, $"One answer expected, got {answers.Count}:\n{string.Join("\n", answers.Select(a => a.Text))}");
        Assert.Empty(peer.ContractViolations);
    }

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task KillReplicaHoldingARun_AnotherInterruptsItAndEditsItsMessage(StorageProvider provider)
    {
        await using var set = await ReplicaSet.StartAsync(2, SlowNodes, provider);
        var asker = set.Bots["replica-a"];
        var asked = await asker.Chat.SayAsync("carol", "/env up test");
        var progress = await asker.Chat.BotReplyAsync(asked);
        var run = (await asker.Chat.GetJsonAsync("/api/runs?env=test"))[0];
        var runId = run.GetProperty("id").GetInt64();
        await Wait.UntilAsync(async () => await set.ScalarAsync("SELECT status FROM runs WHERE id = @id", ("@id", runId)) is "running",
            "the run to be running", lastSeen: () => set.Output);

        // Whichever replica's inbox worker took the command holds the run.
        var holder = (string)(await set.ScalarAsync("SELECT replica FROM runs WHERE id = @id", ("@id", runId)))!;
        var survivor = set.Bots.Single(b => b.Key != holder).Value;
        set.Bots[holder].Kill();

        // The bound is the promise: dead after Replicas:DeadAfter (10 s), found at the next look, the edit sent.
        try
        {
            await survivor.Chat.WaitForAsync(ms => ms.FirstOrDefault(m => m.Id == progress.Id && m.Text.Contains("was interrupted", StringComparison.Ordinal)),
                within: TimeSpan.FromSeconds(15));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{set.Output}", e);
        }

        var recovered = await survivor.Chat.GetJsonAsync($"/api/runs/{runId}");
        Assert.Equal("interrupted", recovered.GetProperty("status").GetString());
        Assert.StartsWith($"replica {holder} stopped while it ran", recovered.GetProperty("result").GetString(), StringComparison.Ordinal);
        var environment = await survivor.Chat.GetJsonAsync("/api/environments/test");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, environment.GetProperty("lease").ValueKind);
    }

    [Fact]
    public async Task SecondReplica_NameOfALiveReplica_IsRefusedWithTheHolder()
    {
        await using var set = await ReplicaSet.StartAsync(1);
        using var second = new BotRoot("chatops-replica-dup-");

        var (code, _, error) = await BotProcess.RunUntilExitAsync(second.Path, $"http://127.0.0.1:{BotProcess.FreePort()}", new Dictionary<string, string>
        {
            ["Replicas__Name"] = "replica-a",
            ["Storage__ConnectionString"] = $"Data Source={set.StateDatabase}",
        });

        Assert.Equal(2, code);
        Assert.Contains("Replicas:Name 'replica-a' is in use by a live replica", error, StringComparison.Ordinal);
        Assert.Equal(1L, await set.ScalarAsync("SELECT COUNT(*) FROM replicas"));
    }

    [Fact]
    public async Task SecondReplica_OtherDeliveryLimits_HealthzDegradedAndTheLogNamesItAndTheSection()
    {
        await using var set = await ReplicaSet.StartAsync(1);
        var first = set.Bots["replica-a"];
        Assert.Equal("Healthy", await first.Http.GetStringAsync("/healthz", TestContext.Current.CancellationToken));

        await set.StartOneAsync("replica-b", new Dictionary<string, string> { ["ChatDelivery__Limits__webchat__TokenInterval"] = "00:00:01" });

        await Wait.UntilAsync(async () => await first.Http.GetStringAsync("/healthz", TestContext.Current.CancellationToken) == "Degraded",
            "replica-a to find replica-b's delivery limits differ", lastSeen: () => set.Output);
        await Wait.UntilAsync(() => first.Output.Contains("must match; replica-b: ChatDelivery.", StringComparison.Ordinal), "replica-a to say so in its log",
            lastSeen: () => first.Output);
        Assert.Contains("must match; replica-a: ChatDelivery.", set.Bots["replica-b"].Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_EmptyReplicaName_IsRefusedWithTheSetting()
    {
        using var root = new BotRoot("chatops-replica-empty-");

        var (code, _, error) = await BotProcess.RunUntilExitAsync(root.Path, $"http://127.0.0.1:{BotProcess.FreePort()}",
            new Dictionary<string, string> { ["Replicas__Name"] = "" });

        Assert.Equal(2, code);
        Assert.Contains("Replicas:Name is empty; leave it out for the default", error, StringComparison.Ordinal);
    }
}
