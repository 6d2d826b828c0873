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
                }
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
