using System.Globalization;

namespace ChatOps.Radiator.Alerts;

/// <summary>
/// The open, posted alerts of one group (<see cref="AlertOptions.GroupBy"/>), oldest first. The first is the
/// group's lead: its message lists the group, the others say where to look.
/// </summary>
public sealed record AlertGroup(string Name, IReadOnlyList<(long Id, AlertStatus Status)> Open)
{
    private const int Listed = 10;

    public long? Lead => Open.Count > 0 ? Open[0].Id : null;

    /// <summary>The line <paramref name="alert"/>'s message shows about its group, or null when it has no company.</summary>
    public string? ContextLine(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (alert.Status == AlertStatus.Resolved || Open.Count < 2 || !Open.Any(o => o.Id == alert.Id))
        {
            return null;
        }

        if (alert.Id != Lead)
        {
            // Neither a count nor the lead's number: either would go stale as members come and go or the lead
            // resolves, and re-editing every member then would hold up new alerts behind the channel's rate limit.
            return $"🧵 Group {Name}: its oldest open alert lists the group";
        }

        var others = Open.Skip(1).ToList();
        var firing = Open.Count(o => o.Status == AlertStatus.Firing);
        var list = string.Join(" ", others.Take(Listed).Select(o => "#" + Number(o.Id)));
        var more = others.Count > Listed ? $" +{others.Count - Listed} more" : "";
        return $"🧵 Group {Name}: {Open.Count} open ({firing} firing, {Open.Count - firing} acknowledged), also {list}{more}";
    }

    private static string Number(long id) => id.ToString(CultureInfo.InvariantCulture);
}
