using ChatOps.Bot.Environments;
using ChatOps.Bot.Identity;
using ChatOps.Integrations.Chat;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Tests.Identity;

public sealed class PermissionPolicyTests
{
    private static readonly IdentityOptions Identity = new()
    {
        Roles = new() { ["ops"] = ["webchat:alice", "slack:U123"] },
        People = new() { ["alice"] = ["webchat:alice", "slack:UALICE"] },
    };

    private static Principal Resolve(string platform, string id) =>
        new PrincipalResolver(new StaticMonitor(Identity)).Resolve(new ChatUser(platform, id));

    [Fact]
    public void Check_MemberOnProd_IsDeniedNamingTheRole()
    {
        var catalog = TestState.Catalog();
        var sut = new PermissionPolicy(catalog, TestCatalog.Policies);

        var permission = sut.Check(Resolve("webchat", "carol"), catalog.Find("prod")!, "up");

        Assert.False(permission.Allowed);
        Assert.Contains("needs the *ops* role", permission.Reason);
    }

    [Fact]
    public void Check_MemberOnTest_IsAllowedWithoutConfirmation()
    {
        var catalog = TestState.Catalog();

        var permission = new PermissionPolicy(catalog, TestCatalog.Policies).Check(Resolve("webchat", "carol"), catalog.Find("test")!, "up");

        Assert.True(permission.Allowed);
        Assert.Equal(RiskTier.None, permission.Risk);
    }

    [Theory]
    [InlineData("test", "halt", nameof(RiskTier.Confirm))]
    [InlineData("test", "destroy", nameof(RiskTier.Confirm))]
    [InlineData("prod", "halt", nameof(RiskTier.Confirm))]
    [InlineData("prod", "destroy", nameof(RiskTier.Approve))]
    [InlineData("prod", "provision", nameof(RiskTier.None))]
    public void Check_OpsMember_GetsTheConfiguredRisk(string environment, string verb, string risk)
    {
        var catalog = TestState.Catalog();

        var permission = new PermissionPolicy(catalog, TestCatalog.Policies).Check(Resolve("webchat", "alice"), catalog.Find(environment)!, verb);

        Assert.True(permission.Allowed);
        Assert.Equal(Enum.Parse<RiskTier>(risk), permission.Risk);
    }

    [Fact]
    public void Check_ReadVerbOnProd_IsOpenToMembers()
    {
        var catalog = TestState.Catalog();

        Assert.True(new PermissionPolicy(catalog, TestCatalog.Policies).Check(Resolve("webchat", "carol"), catalog.Find("prod")!, "status").Allowed);
    }

    [Fact]
    public void Resolve_SlackUserInRole_HasRole()
    {
        Assert.True(Resolve("slack", "U123").HasRole("ops"));
        Assert.False(Resolve("slack", "U999").HasRole("ops"));
        Assert.True(Resolve("slack", "U999").HasRole("member"));
    }

    [Fact]
    public void Resolve_LinkedAccounts_AreOnePrincipalWithTheRoles()
    {
        var web = Resolve("webchat", "alice");
        var slack = Resolve("slack", "UALICE");

        Assert.Equal(web.Id, slack.Id);
        Assert.True(slack.HasRole("ops"));
    }

    [Fact]
    public void MayRunAnywhere_VerbRestrictedEverywhere_IsHiddenFromMembers()
    {
        var catalog = TestState.Catalog(o =>
        {
            foreach (var env in o.Environments.Values)
            {
                env.Policy.VerbRoles["destroy"] = "ops";
            }
        });
        var sut = new PermissionPolicy(catalog, TestCatalog.Policies);

        Assert.False(sut.MayRunAnywhere(Resolve("webchat", "carol"), "destroy"));
        Assert.True(sut.MayRunAnywhere(Resolve("webchat", "carol"), "up"));
        Assert.True(sut.MayRunAnywhere(Resolve("webchat", "alice"), "destroy"));
    }

    [Fact]
    public void MayRunAnywhere_AVerbItsDefinitionDeclaresChanging_FollowsTheChangeRole()
    {
        // "inspect" is changing only because its definition says so: the policy reads the tier from there.
        var verbs = new VerbPolicies([new VerbPolicy("inspect", PolicyTier.Change, ConfirmByDefault: false)]);
        var catalog = new EnvironmentCatalog(Options.Create(Protected()), verbs);
        var sut = new PermissionPolicy(catalog, verbs);

        Assert.False(sut.MayRunAnywhere(Resolve("webchat", "carol"), "inspect"));
        Assert.False(sut.Check(Resolve("webchat", "carol"), catalog.Find("prod")!, "inspect").Allowed);
        Assert.True(sut.Check(Resolve("webchat", "alice"), catalog.Find("prod")!, "inspect").Allowed);
    }

    [Fact]
    public void Check_AVerbItsDefinitionDeclaresRead_IsOpenOnAProtectedEnvironment()
    {
        var verbs = new VerbPolicies([new VerbPolicy("inspect", PolicyTier.Read, ConfirmByDefault: false)]);
        var catalog = new EnvironmentCatalog(Options.Create(Protected()), verbs);
        var sut = new PermissionPolicy(catalog, verbs);

        Assert.True(sut.MayRunAnywhere(Resolve("webchat", "carol"), "inspect"));
        Assert.True(sut.Check(Resolve("webchat", "carol"), catalog.Find("prod")!, "inspect").Allowed);
    }

    [Fact]
    public void Check_TheRegisteredDefinitions_ChangingVerbsNeedTheRoleAndReadVerbsDoNot()
    {
        var catalog = TestState.Catalog();
        var sut = new PermissionPolicy(catalog, TestCatalog.Policies);

        foreach (var verb in TestCatalog.Instance.VerbsOf(ChatOps.Bot.Commands.Env.EnvCommands.Group))
        {
            Assert.Equal(verb.Tier == PolicyTier.Read, sut.Check(Resolve("webchat", "carol"), catalog.Find("prod")!, verb.Name).Allowed);
        }
    }

    [Fact]
    public void Validate_BadConfiguration_ReportsEveryProblem()
    {
        var options = new EnvironmentsOptions();
        options.Environments["Bad Name"] = new EnvironmentOptions { Nodes = ["web1", "web1", "no way"], Policy = new PolicyOptions { Confirm = ["explode"] } };

        var problems = EnvironmentCatalog.Validate(options, TestCatalog.Policies).ToList();

        Assert.Equal(4, problems.Count);
    }

    private static EnvironmentsOptions Protected()
    {
        var options = new EnvironmentsOptions();
        options.Environments["prod"] = new EnvironmentOptions { Policy = new PolicyOptions { ChangeRole = "ops" } };
        return options;
    }

    private sealed class StaticMonitor(IdentityOptions value) : IOptionsMonitor<IdentityOptions>
    {
        public IdentityOptions CurrentValue => value;

        public IdentityOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<IdentityOptions, string?> listener) => null;
    }
}
