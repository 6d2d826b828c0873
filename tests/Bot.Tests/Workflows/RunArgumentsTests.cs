using ChatOps.Bot.Workflows;
using ChatOps.Integrations.Infrastructure;

namespace ChatOps.Bot.Tests.Workflows;

/// <summary>Typed run arguments read back from the name/value pairs the runs table has always held.</summary>
public sealed class RunArgumentsTests
{
    [Fact]
    public void Restore_BalanceRowAsStoredToday_IsTheTypedWeights()
    {
        var restored = Assert.IsType<BalanceArguments>(TestCatalog.Kinds.Restore("balance", new Dictionary<string, string> { ["weights"] = "web1=80,web2=20" }));

        Assert.Equal(new Dictionary<string, int> { ["web1"] = 80, ["web2"] = 20 }, restored.Weights);
    }

    [Theory]
    [InlineData("up", InfraVerb.Up, null)]
    [InlineData("provision", InfraVerb.Provision, "7")]
    [InlineData("HALT", InfraVerb.Halt, null)]
    [InlineData("destroy", InfraVerb.Destroy, null)]
    public void Restore_NodeRowsAsStoredToday_AreTheProviderOperation(string verb, InfraVerb operation, string? version)
    {
        var stored = version is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["version"] = version };

        Assert.Equal(new NodeRunArguments(operation, version), TestCatalog.Kinds.Restore(verb, stored));
    }

    [Fact]
    public void Restore_SorryRow_IsTheSwitchAndItsMessage() =>
        Assert.Equal(new SorryArguments(true, "Back at 9"), TestCatalog.Kinds.Restore("sorry", new Dictionary<string, string> { ["state"] = "on", ["message"] = "Back at 9" }));

    [Fact]
    public void Restore_VerbNoRunHas_IsNull() =>
        Assert.Null(TestCatalog.Kinds.Restore("reboot", new Dictionary<string, string>()));

    [Fact]
    public void ToStored_EveryKind_RestoresToItself()
    {
        (string Verb, RunArguments Arguments)[] all =
        [
            ("up", new NodeRunArguments(InfraVerb.Up)), ("provision", new NodeRunArguments(InfraVerb.Provision, "1.4.2")),
            ("sorry", new SorryArguments(false)), ("sorry", new SorryArguments(true, "Back soon")),
        ];

        foreach (var (verb, arguments) in all)
        {
            Assert.Equal(arguments, TestCatalog.Kinds.Restore(verb, arguments.ToStored()));
        }

        var balance = new BalanceArguments(new Dictionary<string, int> { ["web1"] = 0, ["web2"] = 256 });
        Assert.Equal(balance.Weights, Assert.IsType<BalanceArguments>(TestCatalog.Kinds.Restore("balance", balance.ToStored())).Weights);
    }

    [Fact]
    public void Kinds_EveryKind_HasOneWorkflowInTheHost()
    {
        var registry = new WorkflowRegistry([
            new ProviderWorkflow(new ComputeProviders([]), new NoLoadBalancer(), null!),
            new LoadBalancerWorkflow(new NoLoadBalancer(), new ComputeProviders([]), null!),
        ]);

        Assert.All(TestCatalog.Kinds.All, k => registry.For(k.Restore(new Dictionary<string, string>())));
    }

    [Fact]
    public void Gerund_AVerbNoCommandDeclares_StillReads() =>
        Assert.Equal("running reboot on test", TestCatalog.Kinds.Gerund("reboot", "test"));

    [Fact]
    public void RunKinds_TwoKindsOfOneVerb_RefusesAtStart()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new RunKinds([
            RunKind.OnNodes("up", "bringing {env} up", InfraVerb.Up), RunKind.Of<SorryArguments>("UP", "switching {env}")]));

        Assert.Contains("Two run kinds are named 'UP'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WorkflowRegistry_TwoWorkflowsForOneKind_RefusesNamingBoth()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new WorkflowRegistry([
            new ProviderWorkflow(new ComputeProviders([]), new NoLoadBalancer(), null!),
            new ProviderWorkflow(new ComputeProviders([]), new NoLoadBalancer(), null!),
        ]));

        Assert.Equal("Two workflows are named 'NodeRunArguments': ProviderWorkflow and ProviderWorkflow. Each name must belong to one workflow.", error.Message);
    }
}
