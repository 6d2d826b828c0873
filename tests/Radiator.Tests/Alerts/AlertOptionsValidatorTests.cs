using ChatOps.Radiator.Alerts;

namespace ChatOps.Radiator.Tests.Alerts;

public sealed class AlertOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        var result = new AlertOptionsValidator().Validate(null, new AlertOptions { Channels = [AlertOptions.DefaultChannel] });

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Validate_EveryMistake_IsNamedAtOnce()
    {
        var options = new AlertOptions
        {
            Channels = ["alerts"],
            Routes = [new AlertRouteOptions { Channels = ["slack:"], Escalation = [new EscalationStepOptions { Notify = "oncall:nobody" }, new EscalationStepOptions { Notify = "" }] }],
            Sources = [new AlertSourceOptions { Name = "custom", Preset = AlertPreset.Custom }, new AlertSourceOptions { Name = "CUSTOM" }],
            Rules = [new AlertRuleOptions { Name = "r" }],
        };

        var result = new AlertOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Channels: 'alerts' is not platform:channel", result.FailureMessage);
        Assert.Contains("Routes:0:Channels: 'slack:'", result.FailureMessage);
        Assert.Contains("no rotation 'nobody'", result.FailureMessage);
        Assert.Contains("Escalation:1:Notify is required", result.FailureMessage);
        Assert.Contains("'custom' (Custom) needs an Index", result.FailureMessage);
        Assert.Contains("the name 'custom' is used twice", result.FailureMessage);
        Assert.Contains("Rules: 'r' needs a Name, a Key", result.FailureMessage);
    }

    [Fact]
    public void Who_RotationByShift_TakesTurns()
    {
        var rotation = new OnCallRotationOptions { Start = new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero), Shift = TimeSpan.FromDays(7), People = ["alice", "bob", "carol"] };

        Assert.Equal("alice", rotation.Who(new DateTimeOffset(2026, 11, 8, 23, 0, 0, TimeSpan.Zero)));
        Assert.Equal("bob", rotation.Who(new DateTimeOffset(2026, 11, 9, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal("alice", rotation.Who(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero)));
        Assert.Null(new OnCallRotationOptions().Who(DateTimeOffset.UnixEpoch));
    }
}
