using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Slack;
using ChatOps.TestCommon;
using ChatOps.TestCommon.Slack;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Integrations.Tests.Slack;

public sealed class SlackUserDirectoryTests
{
    private static readonly Uri Base = new("https://slack.test/api/");

    [Fact]
    public async Task WithDisplayNameAsync_UnknownName_LooksUpOnceThenRemembers()
    {
        var recorder = new RecordingHttpMessageHandler(_ => RecordingHttpMessageHandler.Json("{\"ok\":true,\"user\":{\"id\":\"U1\",\"name\":\"ann\",\"real_name\":\"Ann Example\",\"profile\":{\"display_name\":\"\"}}}"));
        var time = new FakeTimeProvider();
        await using var services = SlackTestServices.Create(Base, timeProvider: time, primaryHandler: recorder);
        var sut = services.GetRequiredService<SlackUserDirectory>();
        var ct = TestContext.Current.CancellationToken;

        var first = await sut.WithDisplayNameAsync(new ChatUser("slack", "U1"), ct);
        var second = await sut.WithDisplayNameAsync(new ChatUser("slack", "U1"), ct);
        time.Advance(TimeSpan.FromHours(2));
        await sut.WithDisplayNameAsync(new ChatUser("slack", "U1"), ct);

        Assert.Equal("Ann Example", first.DisplayName);
        Assert.Equal("slack:U1", first.Key);
        Assert.Equal(first, second);
        Assert.Equal(2, recorder.Requests.Count);
        Assert.All(recorder.Requests, r => Assert.Empty(SlackWebApiContract.Instance.Check(r)));
    }

    [Fact]
    public async Task WithDisplayNameAsync_LookupFails_KeepsTheUserAsIs()
    {
        var recorder = new RecordingHttpMessageHandler(_ => RecordingHttpMessageHandler.Json("{\"ok\":false,\"error\":\"user_not_found\"}"));
        await using var services = SlackTestServices.Create(Base, primaryHandler: recorder);

        var user = await services.GetRequiredService<SlackUserDirectory>().WithDisplayNameAsync(new ChatUser("slack", "U0GONE"), TestContext.Current.CancellationToken);

        Assert.Equal(new ChatUser("slack", "U0GONE"), user);
    }

    [Fact]
    public async Task WithDisplayNameAsync_NameKnownOrOtherPlatform_NoLookup()
    {
        var recorder = new RecordingHttpMessageHandler(_ => throw new InvalidOperationException("no lookup expected"));
        await using var services = SlackTestServices.Create(Base, primaryHandler: recorder);
        var sut = services.GetRequiredService<SlackUserDirectory>();

        await sut.WithDisplayNameAsync(new ChatUser("slack", "U1", "ann"), TestContext.Current.CancellationToken);
        await sut.WithDisplayNameAsync(new ChatUser("discord", "123"), TestContext.Current.CancellationToken);

        Assert.Empty(recorder.Requests);
    }
}
