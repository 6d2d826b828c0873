using ChatOps.Bot.Commands;
using ChatOps.Bot.Commands.Alerts;
using ChatOps.Radiator.Alerts;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatOps.Bot.Tests.Commands.Alerts;

/// <summary><c>/alert ack|resolve|mute</c> typed and pressed: the same change, the same audit, roles where configured.</summary>
public sealed class AlertButtonCommandTests : IAsyncLifetime
{
    private AlertCommandKit _kit = null!;

    public async ValueTask InitializeAsync() => _kit = await AlertCommandKit.CreateAsync();

    public async ValueTask DisposeAsync() => await _kit.DisposeAsync();

    private AlertAckCommand Ack() => new(_kit.Service, _kit.Store, _kit.Routing, _kit.State.Audit, NullLogger<AlertAckCommand>.Instance);

    private AlertResolveCommand Resolve() => new(_kit.Service, _kit.Store, _kit.Routing, _kit.State.Audit, _kit.Options, NullLogger<AlertResolveCommand>.Instance);

    private AlertMuteCommand Mute() => new(_kit.Service, _kit.Store, _kit.Routing, _kit.State.Audit, _kit.Options, NullLogger<AlertMuteCommand>.Instance);

    [Fact]
    public void Definitions_DeclareTheButtonsTheAlertMessageCarries()
    {
        Assert.Equal([AlertFormatter.AcknowledgeAction], AlertAckCommand.Definition.Buttons);
        Assert.Equal([AlertFormatter.ResolveAction], AlertResolveCommand.Definition.Buttons);
        Assert.Equal([AlertFormatter.MuteAction], AlertMuteCommand.Definition.Buttons);
    }

    [Fact]
    public async Task Ack_Typed_AcknowledgesAndAudits()
    {
        var alert = await _kit.FiringAsync();

        var result = await Ack().ExecuteAsync(_kit.Context($"/alert ack #{alert.Id}", AlertCommandKit.Bob), TestContext.Current.CancellationToken);

        Assert.Equal($"Acknowledged #{alert.Id}.", result.Reply!.Text);
        Assert.Equal(("bob", AlertStatus.Acknowledged), ((await _kit.Store.GetAsync(alert.Id, TestContext.Current.CancellationToken))! is var a ? (a.AcknowledgedBy, a.Status) : default));
        Assert.Contains($"alert-ack: alert #{alert.Id}: done (1 changed)", await _kit.AuditAsync());
    }

    [Fact]
    public async Task Ack_Pressed_AcknowledgesAnswersNothingAndAuditsTheSame()
    {
        var alert = await _kit.FiringAsync();

        var result = await Ack().PressAsync(AlertCommandKit.Press(AlertFormatter.AcknowledgeAction + alert.Id, alert.Id, AlertCommandKit.Bob), TestContext.Current.CancellationToken);

        Assert.Equal(CommandResult.Ok(), result);
        Assert.Equal(AlertStatus.Acknowledged, (await _kit.Store.GetAsync(alert.Id, TestContext.Current.CancellationToken))!.Status);
        Assert.Contains($"alert-ack: alert #{alert.Id}: done (1 changed)", await _kit.AuditAsync());
    }

    [Fact]
    public async Task Resolve_TypedWithoutTheRole_RefusesAndChangesNothing()
    {
        var alert = await _kit.FiringAsync();

        var result = await Resolve().ExecuteAsync(_kit.Context($"/alert resolve {alert.Id}", AlertCommandKit.Bob), TestContext.Current.CancellationToken);

        Assert.Equal(CommandError.Unauthorized, result.Error);
        Assert.Equal("Resolving alerts needs the `ops` role.", result.Reply!.Text);
        Assert.Equal(AlertStatus.Firing, (await _kit.Store.GetAsync(alert.Id, TestContext.Current.CancellationToken))!.Status);
    }

    [Fact]
    public async Task Resolve_PressedWithoutTheRole_RefusesInLowerCaseAfterTheName()
    {
        var alert = await _kit.FiringAsync();

        var result = await Resolve().PressAsync(AlertCommandKit.Press(AlertFormatter.ResolveAction + alert.Id, alert.Id, AlertCommandKit.Bob), TestContext.Current.CancellationToken);

        Assert.Equal(CommandError.Unauthorized, result.Error);
        Assert.Equal("resolving alerts needs the `ops` role.", result.Reply!.Text);
        Assert.Equal(AlertStatus.Firing, (await _kit.Store.GetAsync(alert.Id, TestContext.Current.CancellationToken))!.Status);
    }

    [Fact]
    public async Task Resolve_PressedWithTheRole_Resolves()
    {
        var alert = await _kit.FiringAsync();

        Assert.Equal(CommandResult.Ok(), await Resolve().PressAsync(AlertCommandKit.Press(AlertFormatter.ResolveAction + alert.Id, alert.Id, AlertCommandKit.Alice), TestContext.Current.CancellationToken));

        Assert.Equal(AlertStatus.Resolved, (await _kit.Store.GetAsync(alert.Id, TestContext.Current.CancellationToken))!.Status);
    }

    [Fact]
    public async Task Mute_Typed_SilencesMatchingAlertsForTheDuration()
    {
        var alert = await _kit.FiringAsync();

        var result = await Mute().ExecuteAsync(_kit.Context("/alert mute alertname=DiskFull 2h", AlertCommandKit.Alice), TestContext.Current.CancellationToken);

        Assert.Equal("Muted `alertname=DiskFull` for 2 hours (1 open alert).", result.Reply!.Text);
        var muted = (await _kit.Store.GetAsync(alert.Id, TestContext.Current.CancellationToken))!;
        Assert.Equal(_kit.State.Time.GetUtcNow() + TimeSpan.FromHours(2), muted.MutedUntil);
        Assert.Contains("alert-mute: alerts: done (1 changed)", await _kit.AuditAsync());
    }

    [Fact]
    public async Task Mute_Pressed_SilencesThatAlertForTheButtonsDuration()
    {
        var alert = await _kit.FiringAsync();

        Assert.Equal(CommandResult.Ok(), await Mute().PressAsync(AlertCommandKit.Press(AlertFormatter.MuteAction + alert.Id, alert.Id, AlertCommandKit.Alice), TestContext.Current.CancellationToken));

        var muted = (await _kit.Store.GetAsync(alert.Id, TestContext.Current.CancellationToken))!;
        Assert.Equal(_kit.State.Time.GetUtcNow() + _kit.Options.Value.ButtonMute, muted.MutedUntil);
    }

    [Fact]
    public async Task CarrierAsync_PressInARoutedChannel_IsThatChannelsCopy()
    {
        var alert = await _kit.FiringAsync();
        var press = AlertCommandKit.Press(AlertFormatter.AcknowledgeAction + alert.Id, alert.Id, AlertCommandKit.Bob);

        var carrier = await Ack().CarrierAsync(press.Action, alert.Id, TestContext.Current.CancellationToken);

        Assert.Equal((AlertPublisher.PostKey(alert, AlertCommandKit.AlertsChannel), AlertCommandKit.AlertsChannel), carrier);
    }

    [Fact]
    public async Task CarrierAsync_NoSuchAlert_IsNothing()
    {
        var carrier = await Ack().CarrierAsync(AlertCommandKit.Press("alert-ack:404", 404, AlertCommandKit.Bob).Action, 404, TestContext.Current.CancellationToken);

        Assert.Equal((null, null), carrier);
    }
}
