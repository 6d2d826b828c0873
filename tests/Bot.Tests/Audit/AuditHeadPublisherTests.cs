using ChatOps.Bot.Audit;
using ChatOps.Integrations.Chat;
using ChatOps.Integrations.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Tests.Audit;

public sealed class AuditHeadPublisherTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static AuditHeadPublisher CreateSut(TestState state, string channel = "webchat:ops") =>
        new(state.Audit, state.AuditHeads, state.Outbox, Options.Create(new AuditOptions { HeadChannel = channel }), state.Time, NullLogger<AuditHeadPublisher>.Instance);

    [Fact]
    public async Task PublishAsync_NewHead_GoesToTheHeadFileAndTheChannel()
    {
        await using var state = await TestState.CreateAsync();
        await state.Audit.AppendAsync(new AuditEntry("webchat:carol", "carol", "locked", "dev", null, ""), Ct);

        var head = await CreateSut(state).PublishAsync(Ct);

        Assert.NotNull(head);
        Assert.Equal(head, Assert.Single(await state.AuditHeads.ReadAsync(Ct)).Head);
        var post = await state.Outbox.LocateAsync($"audit-head:{head}", Ct);
        Assert.Equal(new ChatDestination("webchat", "ops"), post!.Destination);
    }

    [Fact]
    public async Task PublishAsync_UnchangedHead_PublishesNothingMore()
    {
        await using var state = await TestState.CreateAsync();
        await state.Audit.AppendAsync(new AuditEntry("webchat:carol", "carol", "locked", "dev", null, ""), Ct);
        var sut = CreateSut(state);
        await sut.PublishAsync(Ct);

        Assert.Null(await sut.PublishAsync(Ct));
        Assert.Single(await state.AuditHeads.ReadAsync(Ct));
    }

    [Fact]
    public async Task PublishAsync_EmptyTrail_PublishesNothing()
    {
        await using var state = await TestState.CreateAsync();

        Assert.Null(await CreateSut(state).PublishAsync(Ct));
        Assert.Empty(await state.AuditHeads.ReadAsync(Ct));
    }

    [Fact]
    public async Task PublishAsync_BrokenTrail_IsReportedNotPublished()
    {
        await using var state = await TestState.CreateAsync();
        await state.Audit.AppendAsync(new AuditEntry("webchat:carol", "carol", "locked", "dev", null, ""), Ct);
        await state.Database.WriteAsync((c, t) => c.ExecuteAsync("UPDATE audit SET detail = 'x'", t, Ct), Ct);

        Assert.Null(await CreateSut(state).PublishAsync(Ct));
        Assert.Empty(await state.AuditHeads.ReadAsync(Ct));
        Assert.True(await state.Outbox.ContainsAsync("audit-broken:1", Ct));
    }

    [Fact]
    public async Task PublishAsync_NoChannel_StillWritesTheHeadFile()
    {
        await using var state = await TestState.CreateAsync();
        await state.Audit.AppendAsync(new AuditEntry("webchat:carol", "carol", "locked", "dev", null, ""), Ct);

        var head = await CreateSut(state, channel: "").PublishAsync(Ct);

        Assert.Single(await state.AuditHeads.ReadAsync(Ct));
        Assert.False(await state.Outbox.ContainsAsync($"audit-head:{head}", Ct));
    }

    [Fact]
    public async Task StopAsync_HostDeadlinePassed_StopsWithoutThrowingAndSaysSoOnce()
    {
        await using var state = await TestState.CreateAsync();
        await state.Audit.AppendAsync(new AuditEntry("webchat:carol", "carol", "locked", "dev", null, ""), Ct);
        var logger = new FakeLogger<AuditHeadPublisher>();
        var sut = new AuditHeadPublisher(state.Audit, state.AuditHeads, state.Outbox, Options.Create(new AuditOptions { HeadChannel = "webchat:ops" }),
            state.Time, logger);

        // The host's stop token is already cancelled: its shutdown timeout was reached.
        await sut.StopAsync(new CancellationToken(canceled: true));

        Assert.Equal("AuditHeadPublishAtStopAbandoned", Assert.Single(logger.Collector.GetSnapshot()).Id.Name);
        Assert.Empty(await state.AuditHeads.ReadAsync(Ct));
    }
}
