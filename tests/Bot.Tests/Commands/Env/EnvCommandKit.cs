using ChatOps.Bot.Commands;
using ChatOps.Bot.Conversations;
using ChatOps.Bot.Environments;
using ChatOps.Bot.Identity;
using ChatOps.Bot.Tests.Identity;
using ChatOps.Bot.Tests.Workflows;
using ChatOps.Bot.Watch;
using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Chat;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Tests.Commands.Env;

/// <summary>
/// The real engine, stores and workflows over SQLite (<see cref="TestState"/>), with the fake provider and a recording
/// load balancer at the edges: <c>dev</c> has no load balancer, <c>test</c> and <c>prod</c> have one.
/// </summary>
internal sealed class EnvCommandKit : IAsyncDisposable
{
    public static readonly Principal Alice = new("webchat:alice", "alice", new HashSet<string> { "member", "ops" });
    public static readonly Principal Bob = new("webchat:bob", "bob", new HashSet<string> { "member" });
    public static readonly ChatDestination Ops = new("webchat", "ops");

    private readonly CommandParser _parser;

    private EnvCommandKit(TestState state)
    {
        State = state;
        Environments = TestState.Catalog(o =>
        {
            foreach (var env in o.Environments.Values)
            {
                env.Provider = "Fake";
            }

            // dev and test run at once; prod asks to confirm what takes something away (the default).
            o.Environments["dev"].LoadBalancer = "None";
            o.Environments["dev"].Policy.Confirm = [];
            o.Environments["test"].Policy.Confirm = [];
        });
        var providers = new ComputeProviders([Provider]);
        var readiness = new LoadBalancerReadiness(LoadBalancer, Options.Create(new WorkflowOptions()), state.Time);
        Engine = new WorkflowEngine(state.Runs, state.Decisions, new DecisionAnswers(state.Decisions, state.Time),
            new Approvers(new StaticIdentityMonitor(new IdentityOptions())),
            new WorkflowRegistry([new ProviderWorkflow(providers, LoadBalancer, readiness), new LoadBalancerWorkflow(LoadBalancer, providers, readiness)]), TestCatalog.Kinds,
            Environments, state.Messages, state.Audit, state.Observers(), Options.Create(new WorkflowOptions()), state.Time, NullLogger<WorkflowEngine>.Instance);
        Snapshots = new EnvironmentSnapshots(providers, state.Database, state.Runs, state.Locks, LoadBalancer);
        Permissions = new PermissionPolicy(Environments, TestCatalog.Policies);
        _parser = new CommandParser(TestCatalog.Instance, [.. Environments.Names]);
    }

    public TestState State { get; }

    public FakeProvider Provider { get; } = new();

    public RecordingLoadBalancer LoadBalancer { get; } = new();

    public EnvironmentCatalog Environments { get; }

    public WorkflowEngine Engine { get; }

    public EnvironmentSnapshots Snapshots { get; }

    public PermissionPolicy Permissions { get; }

    /// <summary>A confirmation or approval answered as a button press would: nothing when recorded, the refusal in words otherwise.</summary>
    public async Task<string?> AnswerAsync(string verb, long decisionId, Principal who) =>
        Engines.Reply(await Engine.AnswerAsync(verb, decisionId, who, TestContext.Current.CancellationToken));

    public static async Task<EnvCommandKit> CreateAsync() => new(await TestState.CreateAsync());

    /// <summary>What the dispatcher hands a command for <paramref name="text"/>, typed by <paramref name="who"/> in #ops, with the permission the policy gives.</summary>
    public CommandContext Context(string text, Principal? who = null)
    {
        who ??= Alice;
        var invocation = Assert.IsType<Parsed>(_parser.Parse(text)).Invocation;
        var environment = invocation.Environment is { } name ? Environments.Find(name) : null;
        var permission = environment is null ? Permission.Allow(RiskTier.None) : Permissions.Check(who, environment, invocation.Verb.Name);
        Assert.True(permission.Allowed, permission.Reason);
        return new CommandContext(who, Ops, invocation, environment, permission);
    }

    /// <summary>The newest run on <paramref name="environment"/>, once it has finished.</summary>
    public Task<RunRecord> FinishedRunAsync(string environment) =>
        ChatOps.TestCommon.Wait.ForAsync(
            async () => (await State.Runs.ListAsync(environment, 1, TestContext.Current.CancellationToken)).FirstOrDefault() is { IsFinished: true } run ? run : null,
            $"the run on {environment} to finish");

    public async ValueTask DisposeAsync()
    {
        await Engine.StopAsync(CancellationToken.None);
        await State.DisposeAsync();
    }
}
