using ChatOps.Bot.Identity;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Conversations;

/// <summary>
/// The people who can approve a request: every holder of the approver role but the requester, named so
/// that the request's platform notifies them. Accounts are linked through <c>Identity:People</c>, the
/// list escalations mention people from, so one person is named once whichever accounts hold the role.
/// </summary>
internal sealed class Approvers(IOptionsMonitor<IdentityOptions> identity)
{
    public IReadOnlyList<string> Mentions(string role, string requesterId, string platform)
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(platform);
        var options = identity.CurrentValue;
        var named = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in (options.Roles.GetValueOrDefault(role) ?? []).Select(PrincipalId.Of))
        {
            var person = options.People.FirstOrDefault(p => p.Value.Any(k => PrincipalId.Of(k) == member)).Key;
            var principal = person is null ? member : PrincipalId.Person(person);
            if (PrincipalId.Same(principal, requesterId) || !seen.Add(principal))
            {
                continue;
            }

            IEnumerable<string> accounts = person is null ? [member] : options.People[person].Select(PrincipalId.Of);
            var here = accounts.FirstOrDefault(k => k.StartsWith(PrincipalId.Of(platform, ""), StringComparison.Ordinal));
            named.Add(Mention(platform, person ?? IdOf(member), here is null ? null : IdOf(here)));
        }

        return named;
    }

    private static string IdOf(string key) => key[(key.IndexOf(':', StringComparison.Ordinal) + 1)..];

    /// <summary>As escalations do: the platform's mention where it has mentions and the person an account there, else the name.</summary>
    private static string Mention(string platform, string name, string? id) => (platform.ToLowerInvariant(), id) switch
    {
        (_, null) => name,
        ("slack" or "discord", _) => $"<@{id}>",
        ("teams", _) => $"<at>{id}</at>",
        _ => name,
    };
}
