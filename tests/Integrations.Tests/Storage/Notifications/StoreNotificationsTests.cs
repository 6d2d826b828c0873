using ChatOps.Integrations.Storage;
using ChatOps.Integrations.Storage.Notifications;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Tests.Storage.Notifications;

public sealed class StoreNotificationsTests
{
    private static StoreNotifications CreateSut() =>
        new(Options.Create(new StorageOptions { NotifiedPollInterval = TimeSpan.FromSeconds(30) }));

    [Fact]
    public void PollInterval_NotListening_ThePartsOwn()
    {
        var sut = CreateSut();

        Assert.Equal(TimeSpan.FromMilliseconds(500), sut.PollInterval(TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public void PollInterval_Listening_StretchedToTheSafetyNetButNeverShortened()
    {
        var sut = CreateSut();
        sut.Listening();

        Assert.Equal(TimeSpan.FromSeconds(30), sut.PollInterval(TimeSpan.FromMilliseconds(500)));
        Assert.Equal(TimeSpan.FromMinutes(1), sut.PollInterval(TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void PollInterval_ListenerDropped_BackToThePartsOwn()
    {
        var sut = CreateSut();
        sut.Listening();
        sut.Deaf();

        Assert.Equal(TimeSpan.FromMilliseconds(500), sut.PollInterval(TimeSpan.FromMilliseconds(500)));
        Assert.Equal(1, sut.Listens);
    }
}
