using Microsoft.Extensions.Options;

namespace ChatOps.Bot.Identity;

/// <summary>
/// Every key in <c>Identity:Roles</c> and <c>Identity:People</c> must name a platform and an id
/// (<c>webchat:alice</c>, <c>slack:U123</c>): a bare name would match nobody and grant nothing, silently.
/// </summary>
internal sealed class IdentityOptionsValidator : IValidateOptions<IdentityOptions>
{
    public ValidateOptionsResult Validate(string? name, IdentityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        foreach (var (section, entries) in new[] { ("Roles", options.Roles), ("People", options.People) })
        {
            foreach (var (owner, keys) in entries)
            {
                foreach (var key in keys)
                {
                    var colon = key.IndexOf(':', StringComparison.Ordinal);
                    if (colon <= 0 || colon == key.Length - 1 || key[(colon + 1)..].Trim().Length == 0)
                    {
                        problems.Add($"Identity:{section}:{owner} has '{key}', which is not a user key: write platform:id, e.g. webchat:alice or slack:U0123ABCD.");
                    }
                    else if (key[..colon].Trim().Equals("discord", StringComparison.OrdinalIgnoreCase) && !IsSnowflake(key[(colon + 1)..].Trim()))
                    {
                        // Discord names people by numeric id only; a user name here would match nobody and grant nothing.
                        problems.Add($"Identity:{section}:{owner} has '{key}': a Discord user is discord:<user id>, the number Discord shows with Copy User ID (developer mode), e.g. discord:80351110224678912.");
                    }
                }
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static bool IsSnowflake(string id) => id.Length is > 0 and <= 20 && id.All(char.IsAsciiDigit);
}
