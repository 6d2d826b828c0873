using ChatOps.Bot.Identity;
using ChatOps.Integrations.Chat;

namespace ChatOps.Bot.Tests.Identity;

public sealed class PrincipalIdTests
{
    private static Principal Resolve(IdentityOptions identity, string platform, string id) =>
        new PrincipalResolver(new StaticIdentityMonitor(identity)).Resolve(new ChatUser(platform, id));

    [Theory]
    [InlineData("webchat", "ALICE", "webchat:alice")]
    [InlineData("WebChat", " Alice ", "webchat:alice")]
    [InlineData("slack", "u0123abcd", "slack:U0123ABCD")]
    [InlineData("slack", "U0123ABCD", "slack:U0123ABCD")]
    [InlineData("person", "Alice", "person:alice")]
    [InlineData("discord", "80351110224678912", "discord:80351110224678912")]
    [InlineData("teams", "6F1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D", "teams:6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")]
    public void Of_PlatformAndId_IsTheCanonicalKey(string platform, string id, string expected) =>
        Assert.Equal(expected, PrincipalId.Of(platform, id));

    [Fact]
    public void Of_ConfiguredKey_IsCanonicalisedAndIdempotent()
    {
        Assert.Equal("webchat:alice", PrincipalId.Of("webchat:Alice"));
        Assert.Equal("webchat:alice", PrincipalId.Of(PrincipalId.Of("webchat:Alice")));
        Assert.Equal("system", PrincipalId.Of("system"));
    }

    [Fact]
    public void Resolve_UpperCaseWebChatName_IsTheSamePrincipalAsLowerCase()
    {
        var identity = new IdentityOptions { Roles = new() { ["ops"] = ["webchat:alice"] } };

        var upper = Resolve(identity, "webchat", "ALICE");
        var lower = Resolve(identity, "webchat", "alice");

        Assert.Equal("webchat:alice", upper.Id);
        Assert.Equal(lower.Id, upper.Id);
        Assert.True(upper.HasRole("ops"));
        Assert.True(upper.Is(lower.Id));
    }

    [Fact]
    public void Resolve_MixedCaseConfigEntries_GrantTheRoleToTheCanonicalId()
    {
        var identity = new IdentityOptions { Roles = new() { ["ops"] = ["webchat:Alice", "slack:u0bob"] } };

        Assert.True(Resolve(identity, "webchat", "alice").HasRole("ops"));
        Assert.True(Resolve(identity, "slack", "U0BOB").HasRole("ops"));
        Assert.Equal("slack:U0BOB", Resolve(identity, "slack", "U0BOB").Id);
    }

    [Fact]
    public void Resolve_UpperCaseTeamsObjectIdInConfig_MatchesTheLowerCaseIdTeamsSends()
    {
        var identity = new IdentityOptions
        {
            Roles = new() { ["ops"] = ["teams:6F1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D"] },
            People = new() { ["Carol"] = ["teams:6F1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D"] },
        };

        var carol = Resolve(identity, "teams", "6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");

        Assert.True(carol.HasRole("ops"));
        Assert.Equal("person:carol", carol.Id);
        Assert.True(PrincipalId.Same("teams:6F1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D", "teams:6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"));
    }

    [Fact]
    public void Resolve_LinkedAccounts_AreOnePersonWhateverTheCase()
    {
        var identity = new IdentityOptions { People = new() { ["Alice"] = ["webchat:Alice", "slack:UALICE"] } };

        Assert.Equal("person:alice", Resolve(identity, "webchat", "ALICE").Id);
        Assert.Equal("person:alice", Resolve(identity, "slack", "UALICE").Id);
    }

    [Fact]
    public void Is_StoredIdWrittenBeforeCanonicalForms_StillMatches()
    {
        var alice = Resolve(new IdentityOptions(), "webchat", "alice");

        Assert.True(alice.Is("webchat:ALICE"));
        Assert.False(alice.Is("webchat:bob"));
        Assert.False(alice.Is(null));
    }

    [Fact]
    public void Validate_KeyWithoutPlatform_IsRefusedNamingIt()
    {
        var identity = new IdentityOptions { Roles = new() { ["ops"] = ["alice", "webchat:bob", "slack:"] } };

        var result = new IdentityOptionsValidator().Validate(null, identity);

        Assert.True(result.Failed);
        Assert.Contains("Identity:Roles:ops has 'alice'", result.FailureMessage);
        Assert.Contains("'slack:'", result.FailureMessage);
        Assert.DoesNotContain("webchat:bob", result.FailureMessage);
    }

    [Fact]
    public void Validate_DiscordKeys_TakeSnowflakesAsGivenAndRefuseNamesListingEach()
    {
        var identity = new IdentityOptions
        {
            Roles = new() { ["ops"] = ["discord:112233445566778899", "discord:carol"] },
            People = new() { ["dave"] = ["discord:@dave#0001"] },
        };

        var result = new IdentityOptionsValidator().Validate(null, identity);

        Assert.True(result.Failed);
        Assert.Contains("Identity:Roles:ops has 'discord:carol'", result.FailureMessage);
        Assert.Contains("Identity:People:dave has 'discord:@dave#0001'", result.FailureMessage);
        Assert.DoesNotContain("112233445566778899", result.FailureMessage);
        Assert.Equal("discord:80351110224678912", PrincipalId.Of(" Discord:80351110224678912 "));
    }
}

internal sealed class StaticIdentityMonitor(IdentityOptions value) : Microsoft.Extensions.Options.IOptionsMonitor<IdentityOptions>
{
    public IdentityOptions CurrentValue => value;

    public IdentityOptions Get(string? name) => value;

    public IDisposable? OnChange(Action<IdentityOptions, string?> listener) => null;
}
