using ChatOps.Integrations.Chat;
using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Identity;

/// <summary>Turns a platform user into a principal with roles, from <see cref="IdentityOptions"/>.</summary>
public sealed class PrincipalResolver(IOptionsMonitor<IdentityOptions> options)
{
    private static readonly string[] DefaultRoles = ["member"];

    public Principal Resolve(ChatUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = options.CurrentValue;
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { user.Key };
        var person = identity.People.FirstOrDefault(p => p.Value.Contains(user.Key, StringComparer.OrdinalIgnoreCase));
        if (person.Key is not null)
        {
            keys.UnionWith(person.Value);
        }

        var roles = new HashSet<string>(identity.DefaultRoles ?? [.. DefaultRoles], StringComparer.OrdinalIgnoreCase);
        foreach (var (role, members) in identity.Roles)
        {
            if (members.Any(keys.Contains))
            {
                roles.Add(role);
            }
        }

        return new Principal(person.Key is null ? user.Key : $"person:{person.Key}", user.Name, roles);
    }
}
