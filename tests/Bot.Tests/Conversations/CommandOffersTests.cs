using ChatOps.Bot.Conversations;
using ChatOps.Bot.Identity;
using ChatOps.Integrations.Chat;

namespace ChatOps.Bot.Tests.Conversations;

public sealed class CommandOffersTests
{
    private static readonly ChatDestination Ops = new("webchat", "ops");
    private static readonly Principal Carol = new("webchat:carol", "carol", new HashSet<string>());

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OfferAsync_EachText_GetsAButtonBoundToTheReplyAndThePerson()
    {
        await using var state = await TestState.CreateAsync();
        var sut = new CommandOffers(state.Database, state.Time);

        var ids = await sut.OfferAsync("reply:1", Ops, Carol, "up", "Which environment?", ["/env up dev", "/env up test"], Ct);

        Assert.Equal(2, ids.Count);
        Assert.True(CommandOffers.TryParse(ids[1], out var id));
        var offer = await sut.GetAsync(id, Ct);
        Assert.Equal(("reply:1", Ops, "webchat:carol", "/env up test", "up"), (offer!.ReplyKey, offer.Destination, offer.PrincipalId, offer.Text, offer.Question));
        Assert.Equal(state.Time.GetUtcNow() + CommandOffers.Lifetime, offer.ExpiresAt);
    }

    [Fact]
    public async Task UseAsync_OneButton_SpendsEveryButtonOfThatReplyOnce()
    {
        await using var state = await TestState.CreateAsync();
        var sut = new CommandOffers(state.Database, state.Time);
        var ids = await sut.OfferAsync("reply:1", Ops, Carol, "up", "Which environment?", ["/env up dev", "/env up test"], Ct);
        var offers = await Task.WhenAll(ids.Select(a => OfferAsync(sut, a)));

        Assert.True(await sut.UseAsync(offers[0], Ct));
        Assert.False(await sut.UseAsync(offers[1], Ct));
        Assert.False(await sut.UseAsync(offers[0], Ct));
    }

    [Fact]
    public async Task UseAsync_AfterExpiry_IsRefused()
    {
        await using var state = await TestState.CreateAsync();
        var sut = new CommandOffers(state.Database, state.Time);
        var offer = await OfferAsync(sut, Assert.Single(await sut.OfferAsync("reply:1", Ops, Carol, null, "Did you mean `status`?", ["/env status test"], Ct)));

        state.Time.Advance(CommandOffers.Lifetime);

        Assert.False(await sut.UseAsync(offer, Ct));
    }

    [Fact]
    public async Task SpendQuestionAsync_TypedAnswer_SpendsThatPersonsButtonsForThatQuestionOnly()
    {
        await using var state = await TestState.CreateAsync();
        var sut = new CommandOffers(state.Database, state.Time);
        var carols = await sut.OfferAsync("reply:1", Ops, Carol, "up", "Which environment?", ["/env up dev", "/env up test"], Ct);
        var dave = new Principal("webchat:dave", "dave", new HashSet<string>());
        var daves = await sut.OfferAsync("reply:2", Ops, dave, "up", "Which environment?", ["/env up dev"], Ct);
        var other = await sut.OfferAsync("reply:3", Ops, Carol, "halt", "Which environment?", ["/env halt dev"], Ct);

        var spent = await sut.SpendQuestionAsync(Ops, "webchat:carol", "up", Ct);

        Assert.Equal("reply:1", Assert.Single(spent).ReplyKey);
        Assert.True((await OfferAsync(sut, carols[1])).Used);
        Assert.False((await OfferAsync(sut, daves[0])).Used);
        Assert.False((await OfferAsync(sut, other[0])).Used);
    }

    [Theory]
    [InlineData("offer:12", true)]
    [InlineData("offer:", false)]
    [InlineData("offer:-1", false)]
    [InlineData("confirm:12", false)]
    public void TryParse_OnlyOfferIds(string actionId, bool expected)
    {
        Assert.Equal(expected, CommandOffers.TryParse(actionId, out _));
    }

    private static async Task<CommandOffer> OfferAsync(CommandOffers sut, string actionId)
    {
        Assert.True(CommandOffers.TryParse(actionId, out var id));
        return Assert.IsType<CommandOffer>(await sut.GetAsync(id, Ct));
    }
}
