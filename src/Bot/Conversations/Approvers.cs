using ChatOps.Bot.Identity;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Conversations;

/// <summary>
/// The people who can approve a request: every holder of the approver role but the requester, named so
/// that the request's platform notifies them. Accounts are linked through <c>Identity:People</c>, the
/// list escalations mention people from, so one person is named once whichever accounts hold the role.
/// </summary>
public sealed class Approvers(IOptionsMonitor<IdentityOptions> identity)
{
    public IReadOnlyList<string> Mentions(string role, string requesterId, string platform)
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(platform);
        var options = identity.CurrentValue;
        var members = options.Roles.GetValueOrDefault(role) ?? [];
        var named = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in members.Select(PrincipalId.Of))
        {
            var person = options.People.FirstOrDefault(p => p.Value.Any(k => PrincipalId.Of(k) == member));
            var principal = person.Key is null ? member : PrincipalId.Person(person.Key);
            if (PrincipalId.Same(principal, requesterId) || !seen.Add(principal))
            {
                continue;
            }

            var accounts = person.Key is null ? [member] : person.Value.Select(PrincipalId.Of).ToList();
            var account = accounts.FirstOrDefault(k => k.StartsWith(PrincipalId.Of(platform, "") , StringComparison.Ordinal));
            named.Add(Mention(platform, person.Key ?? member[(member.IndexOf(':', StringComparison.Ordinal) + 1)..], account?[(account.IndexOf(':', StringComparison.Ordinal) + 1)..]));
        }

        return named;
    }

    /// <summary>As escalations do: the platform's mention where it has mentions and the person an account there, else the name.</summary>
    private static string Mention(string platform, string name, string? id) => (platform.ToLowerInvariant(), id) switch
    {
        (_, null) => name,
        ("slack" or "discord", _) => $"<@{id}>",
        ("teams", _) => $"<at>{id}</at>",
        _ => name,
    };
}
