using ChatOps.Bot.Conversations;
using ChatOps.Bot.Environments;
using ChatOps.Bot.Identity;
using ChatOps.Bot.Tests.Identity;
using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Tests.Workflows;

/// <summary>A real engine over a test's real state store, running verbs on <paramref name="provider"/>, with no load balancer.</summary>
internal static class Engines
{
    public static WorkflowEngine Create(TestState state, EnvironmentCatalog catalog, IComputeProvider provider, WorkflowOptions? options = null, IdentityOptions? identity = null)
    {
        var noLoadBalancer = new NoLoadBalancer();
        var workflows = new WorkflowRegistry([new ProviderWorkflow(new ComputeProviders([provider]), noLoadBalancer,
            new LoadBalancerReadiness(noLoadBalancer, Options.Create(new WorkflowOptions()), state.Time))]);
        return new WorkflowEngine(state.Runs, state.Decisions, new DecisionAnswers(state.Decisions, state.Time),
            new Approvers(new StaticIdentityMonitor(identity ?? new IdentityOptions())), workflows, TestCatalog.Kinds, catalog, state.Messages, state.Audit, state.Observers(),
            Options.Create(options ?? new WorkflowOptions()), state.Time, NullLogger<WorkflowEngine>.Instance);
    }

    /// <summary>What the presser is told: nothing when the answer was recorded, the refusal in words otherwise.</summary>
    public static string? Reply(DecisionAnswer? answer) => answer is DecisionAnswer.Refused refused ? RunWording.Describe(refused.Refusal) : null;

    /// <summary>What the requester is told: nothing when the run started or asks for confirmation, the refusal in words otherwise.</summary>
    public static string? Reply(RunRequestResult result) => result is RunRequestResult.Refused refused ? RunWording.Describe(refused.Refusal) : null;
}
