using System.Globalization;
using ChatOps.Integrations.Chat;
using Humanizer;

namespace ChatOps.Radiator.Deployments;

/// <summary>One line per deployment: who, what, where, which version, how long, how it ended. Pure.</summary>
internal static class DeploymentFormatter
{
    public static OutgoingMessage Format(DeploymentEvent deployment, string? origin = null)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var culture = CultureInfo.GetCultureInfo("en");
        var version = deployment.Version is { Length: > 0 } v ? $" version `{v}`" : "";
        var mark = deployment.Succeeded ? "✅" : "❌";
        var text = $"{mark} *{deployment.Environment}*: {deployment.Verb}{version} by {deployment.Who}{(deployment.ApprovedBy is { Length: > 0 } approver ? $" (approved by {approver})" : "")} {deployment.Result.ToLowerInvariant()} {Took(deployment.Duration, culture)}";
        var context = new List<string> { $"finished {ChatTime.Mark(deployment.FinishedAt)}" };
        if (origin is not null)
        {
            context.Add(origin);
        }

        return new OutgoingMessage { Text = text, Context = context };
    }

    /// <summary>"after 2 minutes, 5 seconds", or "in under a second" rather than "after 0 seconds".</summary>
    private static string Took(TimeSpan duration, CultureInfo culture) =>
        duration < TimeSpan.FromSeconds(1)
            ? "in under a second"
            : $"after {duration.Humanize(precision: 2, culture: culture, minUnit: TimeUnit.Second)}";
}
