using ChatOps.Bot.FunctionalTests.Infrastructure;
using ChatOps.Bot.Hosting;
using ChatOps.Integrations.Infrastructure;
using ChatOps.Integrations.Storage;
using ChatOps.TestCommon;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Bot.FunctionalTests;

/// <summary>
/// A command that only reads, and help, are kept as done with their answer, in the transaction that keeps them, before the
/// post is acknowledged. One that changes something, one whose answer is slow, and one sent while the inbox is paused take the
/// queue (claimed, run, closed) and are answered once all the same.
/// </summary>
public sealed class QueryAnswerTests() : HostTest(new BotFactory(settings: new Dictionary<string, string?>
{
    // An environment whose state takes its provider three seconds to tell: longer than a post waits for its answer.
    ["Environments:slow:Provider"] = "Command",
    ["Environments:slow:LoadBalancer"] = "None",
    ["Environments:slow:Nodes:0"] = "app",
    ["Environments:slow:Command:Status:Program"] = "sleep",
    ["Environments:slow:Command:Status:Arguments:0"] = "3",
    // An environment whose provider does not stop when asked, until the test lets it answer.
    ["Environments:stuck:Provider"] = StuckProvider.ProviderName,
    ["Environments:stuck:LoadBalancer"] = "None",
    ["Environments:stuck:Nodes:0"] = "app",
}, services: services => services.AddSingleton<IComputeProvider, StuckProvider>()))
{
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        // Before start-up has closed what a stopped process left, everything takes the queue.
        await Factory.Services.GetRequiredService<ReadinessGate>().WaitAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Status_IsStoredWithTheRequest_AndNeverClaimed()
    {
        var asked = await Chat.SayAsync("carol", "/env status test");

        // Listed as soon as the post is acknowledged: no worker had to run it.
        var answers = (await Chat.MessagesAsync()).Where(m => m.User == "bot" && m.Seq > ChatApi.Seq(asked)).ToList();
        Assert.Contains("*test* is", Assert.Single(answers).Text);
        Assert.Equal(new InboxRow("done", Claimed: false), await InboxRowAsync(asked));
    }

    [Fact]
    public async Task Help_IsStoredWithTheRequest_ForTheAskerAlone_AndNeverClaimed()
    {
        var asked = await Chat.SayAsync("carol", "help");

        var answers = (await Chat.MessagesAsync(viewer: "carol")).Where(m => m.User == "bot" && m.Seq > ChatApi.Seq(asked)).ToList();
        Assert.Contains("/env", Assert.Single(answers).Text);
        Assert.DoesNotContain(await Chat.MessagesAsync(), m => m.User == "bot" && m.Seq > ChatApi.Seq(asked));
        Assert.Equal(new InboxRow("done", Claimed: false), await InboxRowAsync(asked));
    }

    [Fact]
    public async Task Help_WhileAQuestionWaitsForTheAsker_TakesTheQueue()
    {
        await Chat.BotReplyAsync(await Chat.SayAsync("dave", "/env up"), m => m.Text.Contains("Which environment", StringComparison.Ordinal));

        var asked = await Chat.SayAsync("dave", "help");

        Assert.Equal(new InboxRow("done", Claimed: true), await InboxRowAsync(asked));
    }

    [Fact]
    public async Task SlowStatus_TakesTheQueue_AndIsAnsweredOnce()
    {
        var asked = await Chat.SayAsync("carol", "/env status slow");

        var answer = await Chat.BotReplyAsync(asked);

        Assert.Contains("*slow*", answer.Text);
        Assert.Equal(new InboxRow("done", Claimed: true), await InboxRowAsync(asked));
        Assert.Single(await Chat.MessagesAsync(), m => m.User == "bot" && m.Seq > ChatApi.Seq(asked));
    }

    [Fact]
    public async Task Lock_ChangesSomething_SoTakesTheQueue()
    {
        var asked = await Chat.SayAsync("carol", "/env lock dev");

        await Chat.BotReplyAsync(asked);

        Assert.Equal(new InboxRow("done", Claimed: true), await InboxRowAsync(asked));
    }

    [Fact]
    public async Task StatusWhoseProviderIgnoresCancellation_IsAcknowledgedAnyway_AndAnsweredOnceTheProviderTells()
    {
        var provider = Factory.Services.GetServices<IComputeProvider>().OfType<StuckProvider>().Single();
        string asked;
        provider.Hold();
        try
        {
            // Without a bound of its own, the post would wait as long as the provider: this bounded wait fails first.
            asked = await Wait.ForAsync(Chat.SayAsync("carol", "/env status stuck"), "the post acknowledged while its provider still has not answered");
            Assert.True(provider.Holding);
        }
        finally
        {
            provider.Answer();
        }

        var answer = await Chat.BotReplyAsync(asked);

        Assert.Contains("*stuck*", answer.Text);
        Assert.Equal(new InboxRow("done", Claimed: true), await InboxRowAsync(asked));
        Assert.Single(await Chat.MessagesAsync(), m => m.User == "bot" && m.Seq > ChatApi.Seq(asked));
    }

    private sealed record InboxRow(string State, bool Claimed);

    /// <summary>
    /// A provider that, once held, tells an environment's state only when the test lets it, ignoring cancellation
    /// meanwhile. Not held (at start-up's reconciliation, in the other tests), it answers at once.
    /// </summary>
    private sealed class StuckProvider : IComputeProvider
    {
        public const string ProviderName = "Stuck";

        private TaskCompletionSource _answer = Answered();

        public string Name => ProviderName;

        public bool Holding => !_answer.Task.IsCompleted;

        public void Hold() => _answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Answer() => _answer.TrySetResult();

        public IReadOnlyList<string> Plan(ProviderOperation operation) => [];

        public Task RunAsync(ProviderOperation operation, IProviderProgress progress, CancellationToken cancellationToken) =>
            throw new NotSupportedException("Only asked for its state.");

        public async Task<EnvironmentObservation> ObserveAsync(EnvironmentTarget environment, CancellationToken cancellationToken)
        {
            await _answer.Task;
            return new EnvironmentObservation(ObservedState.Halted, []);
        }

        public Task<EnvironmentObservation> ReconcileAsync(EnvironmentTarget environment, CancellationToken cancellationToken) => ObserveAsync(environment, cancellationToken);

        private static TaskCompletionSource Answered()
        {
            var answered = new TaskCompletionSource();
            answered.SetResult();
            return answered;
        }
    }

    /// <summary>The inbox row of web chat message <paramref name="messageId"/> once it is done, and whether a worker claimed it.</summary>
    private Task<InboxRow> InboxRowAsync(string messageId) =>
        Wait.ForAsync(() => Factory.Services.GetRequiredService<StateDatabase>().ReadAsync(async c =>
        {
            var rows = await c.QueryAsync("SELECT state, started_at FROM inbox WHERE delivery_id = @id", null, r => new InboxRow(r.GetString(0), !r.IsDBNull(1)),
                TestContext.Current.CancellationToken, ("@id", $"webchat:{messageId}"));
            return rows is [{ State: "done" } row] ? row : null;
        }, TestContext.Current.CancellationToken), $"the inbox row of {messageId} done");
}
