using ChatOps.Bot.Environments;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Tests.Environments;

public sealed class EnvironmentCatalogTests
{
    private static EnvironmentCatalog CreateSut(Action<EnvironmentsOptions> configure)
    {
        var options = new EnvironmentsOptions();
        configure(options);
        return new EnvironmentCatalog(Options.Create(options), TestCatalog.Policies);
    }

    [Fact]
    public void Find_AnEnvironmentConfiguredWithDefaults_HasTheDefaultNodesPolicyAndLoadBalancer()
    {
        var sut = CreateSut(o => o.Environments["Test"] = new EnvironmentOptions());

        var test = sut.Find("test")!;

        Assert.Equal("test", test.Name);
        Assert.Equal("Local", test.Provider);
        Assert.Equal(["web1", "web2"], test.Nodes);
        Assert.True(test.HasLoadBalancer);
        Assert.Equal("ops", test.Policy.ApproverRole);
        Assert.Equal(RiskTier.Confirm, test.Policy.Risk("halt"));
        Assert.Equal(RiskTier.None, test.Policy.Risk("up"));
        Assert.Null(test.Policy.RequiredRole("up"));
    }

    [Fact]
    public void Find_ProtectedEnvironment_NeedsItsChangeRoleForChangesAndNotForReads()
    {
        var sut = CreateSut(o => o.Environments["prod"] = new EnvironmentOptions
        {
            Policy = new PolicyOptions { ChangeRole = "ops", Approve = ["destroy"], VerbRoles = { ["lock"] = "" } },
        });

        var policy = sut.Find("PROD")!.Policy;

        Assert.Equal("ops", policy.RequiredRole("up"));
        Assert.Equal("ops", policy.RequiredRole("cancel"));
        Assert.Null(policy.RequiredRole("status"));
        Assert.Null(policy.RequiredRole("lock"));
        Assert.Equal(RiskTier.Approve, policy.Risk("destroy"));
        Assert.Equal("ops", policy.ApproverRole);
    }

    [Fact]
    public void Find_NoConfirmConfigured_ConfirmsTheVerbsWhoseDefinitionsConfirmByDefault()
    {
        var sut = CreateSut(o => o.Environments["test"] = new EnvironmentOptions());

        var confirmed = TestCatalog.Instance.Verbs.Where(v => v.ConfirmByDefault).Select(v => v.Name);

        Assert.Equal(["balance", "destroy", "halt", "sorry"], confirmed.Order(StringComparer.Ordinal));
        Assert.Equal(confirmed.Order(StringComparer.Ordinal), sut.Find("test")!.Policy.Confirm.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Find_ADefinitionThatConfirmsByDefault_IsConfirmedAndOthersAreNot()
    {
        var verbs = new VerbPolicies([new VerbPolicy("reboot", PolicyTier.Change, ConfirmByDefault: true), new VerbPolicy("peek", PolicyTier.Read, ConfirmByDefault: false)]);
        var options = new EnvironmentsOptions();
        options.Environments["test"] = new EnvironmentOptions();

        var policy = new EnvironmentCatalog(Options.Create(options), verbs).Find("test")!.Policy;

        Assert.Equal(RiskTier.Confirm, policy.Risk("reboot"));
        Assert.Equal(RiskTier.None, policy.Risk("peek"));
    }

    [Fact]
    public void Find_ConfirmConfigured_ReplacesTheDefinitionsDefaults()
    {
        var sut = CreateSut(o => o.Environments["test"] = new EnvironmentOptions { Policy = new PolicyOptions { Confirm = ["up"] } });

        var policy = sut.Find("test")!.Policy;

        Assert.Equal(RiskTier.Confirm, policy.Risk("up"));
        Assert.Equal(RiskTier.None, policy.Risk("halt"));
    }

    [Fact]
    public void Validate_AVerbNoRegisteredCommandDeclares_IsNotAVerb()
    {
        var options = new EnvironmentsOptions();
        options.Environments["test"] = new EnvironmentOptions { Policy = new PolicyOptions { Confirm = ["up", "ack", "pulse"], VerbRoles = { ["status"] = "ops" } } };

        // ack and pulse are commands, but not ones permitted per environment.
        Assert.Equal(
        [
            "Environments:test:Policy: 'ack' is not a verb.",
            "Environments:test:Policy: 'pulse' is not a verb.",
        ], EnvironmentCatalog.Validate(options, TestCatalog.Policies));
    }

    [Fact]
    public void All_IsInNameOrder()
    {
        var sut = CreateSut(o =>
        {
            o.Environments["test"] = new EnvironmentOptions();
            o.Environments["dev"] = new EnvironmentOptions();
            o.Environments["prod"] = new EnvironmentOptions();
        });

        Assert.Equal(["dev", "prod", "test"], sut.Names);
    }

    [Fact]
    public void Validate_EverythingWrong_NamesEveryProblemAtOnce()
    {
        var options = new EnvironmentsOptions();
        options.Environments["Bad_Name"] = new EnvironmentOptions
        {
            Nodes = ["web1", "WEB1", "ok"],
            LoadBalancer = "Nginx",
            Policy = new PolicyOptions { Confirm = ["explode"] },
        };

        var problems = EnvironmentCatalog.Validate(options, TestCatalog.Policies).ToList();

        Assert.Equal(
        [
            "Environments:Bad_Name: names are lower-case letters, digits and dashes (at most 32).",
            "Environments:Bad_Name:Nodes: 'WEB1' is not a valid node name (lower-case letters, digits, dashes).",
            "Environments:Bad_Name:LoadBalancer: 'Nginx' is not a load balancer (HaProxy or None).",
            "Environments:Bad_Name:Nodes: node names must be unique.",
            "Environments:Bad_Name:Policy: 'explode' is not a verb.",
        ], problems);
    }

    [Fact]
    public void Validate_NoEnvironments_SaysOneIsNeeded()
    {
        Assert.Equal(["Environments: at least one environment must be configured."], EnvironmentCatalog.Validate(new EnvironmentsOptions(), TestCatalog.Policies));
    }

    [Fact]
    public void Validate_GoodConfiguration_HasNoProblems()
    {
        var options = new EnvironmentsOptions();
        options.Environments["dev"] = new EnvironmentOptions { Nodes = ["web1", "api-2"], LoadBalancer = "None", Policy = new PolicyOptions { Approve = ["destroy"] } };

        Assert.Empty(EnvironmentCatalog.Validate(options, TestCatalog.Policies));
    }
}
