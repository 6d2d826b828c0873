using System.Globalization;

namespace ChatOps.Radiator.Alerts;

/// <summary>
/// One group's (<see cref="AlertOptions.GroupBy"/>) open, posted alerts: the oldest few, oldest first, and
/// how many there are. The first is the group's lead: its message lists the group, the others say where to look.
/// </summary>
/// <param name="Name">The group, as its labels.</param>
/// <param name="Oldest">Up to <see cref="Listed"/> + 1 members by age: the lead and those its message names.</param>
/// <param name="OpenCount">All open members.</param>
/// <param name="FiringCount">Open members not yet acknowledged.</param>
public sealed record AlertGroup(string Name, IReadOnlyList<(long Id, AlertStatus Status)> Oldest, int OpenCount, int FiringCount)
{
    /// <summary>How many members besides itself the lead's message names.</summary>
    public const int Listed = 10;

    public long? Lead => Oldest.Count > 0 ? Oldest[0].Id : null;

    /// <summary>
    /// The line <paramref name="alert"/>'s message shows about its group, or null when it has no company.
    /// <paramref name="alert"/> is a posted member of this group.
    /// </summary>
    public string? ContextLine(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (alert.Status == AlertStatus.Resolved || OpenCount < 2)
        {
            return null;
        }

        if (alert.Id != Lead)
        {
            // Neither a count nor the lead's number: either would go stale as members come and go or the lead
            // resolves, and re-editing every member then would hold up new alerts behind the channel's rate limit.
            return $"🧵 Group {Name}: its oldest open alert lists the group";
        }

        var list = string.Join(" ", Oldest.Skip(1).Take(Listed).Select(o => "#" + Number(o.Id)));
        var more = OpenCount - 1 > Listed ? $" +{OpenCount - 1 - Listed} more" : "";
        return $"🧵 Group {Name}: {OpenCount} open ({FiringCount} firing, {OpenCount - FiringCount} acknowledged), also {list}{more}";
    }

    private static string Number(long id) => id.ToString(CultureInfo.InvariantCulture);
}
