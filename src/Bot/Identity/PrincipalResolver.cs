using ChatOps.Integrations.Chat;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Identity;

/// <summary>
/// Turns a platform user into a principal with roles, from <see cref="IdentityOptions"/>. The user's
/// key and every configured key are compared in their canonical form (<see cref="PrincipalId"/>), so
/// the id that roles were granted to is the very id that approvals, locks and the audit trail see.
/// </summary>
internal sealed class PrincipalResolver(IOptionsMonitor<IdentityOptions> options)
{
    private static readonly string[] DefaultRoles = ["member"];

    public Principal Resolve(ChatUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = options.CurrentValue;
        var key = PrincipalId.Of(user.Platform, user.Id);
        var keys = new HashSet<string>(StringComparer.Ordinal) { key };
        var person = identity.People.FirstOrDefault(p => p.Value.Any(k => PrincipalId.Of(k) == key));
        if (person.Key is not null)
        {
            keys.UnionWith(person.Value.Select(PrincipalId.Of));
        }

        var roles = new HashSet<string>(identity.DefaultRoles ?? [.. DefaultRoles], StringComparer.OrdinalIgnoreCase);
        foreach (var (role, members) in identity.Roles)
        {
            if (members.Any(m => keys.Contains(PrincipalId.Of(m))))
            {
                roles.Add(role);
            }
        }

        return new Principal(person.Key is null ? key : PrincipalId.Person(person.Key), user.Name, roles);
    }
}
