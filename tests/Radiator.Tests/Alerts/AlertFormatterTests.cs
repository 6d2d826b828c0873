using ChatOps.Integrations.Chat;
using ChatOps.Radiator.Alerts;

namespace ChatOps.Radiator.Tests.Alerts;

/// <summary>An alert's message: each label said once, and buttons styled for what they do.</summary>
public sealed class AlertFormatterTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 16, 0, 0, TimeSpan.Zero);

    private static readonly Alert Firing = new()
    {
        Id = 7,
        Fingerprint = "disk-web1",
        Title = "Disk almost full",
        Severity = "critical",
        Labels = new Dictionary<string, string> { ["alertname"] = "DiskFull", ["environment"] = "prod", ["host"] = "web1" },
        Group = "alertname=DiskFull, environment=prod",
        Status = AlertStatus.Firing,
        StartsAt = Now.AddMinutes(-5),
        UpdatedAt = Now.AddMinutes(-5),
    };

    [Fact]
    public void Render_GroupedAlert_PrintsEachLabelOnce()
    {
        var context = string.Join('\n', AlertFormatter.Render(Firing, Now).Context);

        foreach (var label in new[] { "alertname=DiskFull", "environment=prod", "host=web1" })
        {
            Assert.True(context.Split(label).Length == 2, $"`{label}` must appear once in:\n{context}");
        }
    }

    [Fact]
    public void Render_FiringAlert_MuteIsNotStyledAsDestructive()
    {
        var mute = AlertFormatter.Render(Firing, Now).Buttons.Single(b => b.ActionId.StartsWith(AlertFormatter.MuteAction, StringComparison.Ordinal));

        Assert.NotEqual(ButtonStyle.Danger, mute.Style);
    }
}
