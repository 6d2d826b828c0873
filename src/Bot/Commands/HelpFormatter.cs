using System.Text;
using ChatOps.Bot.Identity;

namespace ChatOps.Bot.Commands;

/// <summary>Short help from the catalog, listing only what the asker may run.</summary>
internal sealed class HelpFormatter(CommandCatalog catalog, PermissionPolicy permissions)
{
    public IEnumerable<VerbDefinition> VerbsFor(Principal principal) =>
        catalog.Verbs.Where(v => !v.Group.IsPermittedPerEnvironment || permissions.MayRunAnywhere(principal, v.Name));

    public string Overview(Principal principal)
    {
        var text = new StringBuilder("Here is what you can ask me:\n");
        foreach (var verb in VerbsFor(principal))
        {
            text.Append("• `").Append(verb.SlashUsage).Append("` — ").Append(verb.Summary).Append('\n');
        }

        return text.Append("You can also just say it: `bring up test`, `@bot halt dev`, `put prod in sorry mode`. `help <verb>` shows examples.").ToString();
    }

    public string About(Principal principal, string topic)
    {
        var conversational = catalog.Conversational is { } group ? catalog.VerbsOf(group).ToList() : [];
        var verb = conversational.FirstOrDefault(v => v.Name == topic || v.Aliases.Contains(topic));
        if (verb is null)
        {
            var suggestion = Suggestions.Closest(topic, conversational.Select(v => v.Name));
            return suggestion is null ? Overview(principal) : $"There is no `{topic}`. Did you mean `{suggestion}`? `help {suggestion}`";
        }

        var text = new StringBuilder($"`{verb.SlashUsage}` — {verb.Summary}\n");
        foreach (var argument in verb.Arguments)
        {
            text.Append("• `").Append(argument.Usage).Append("`: ").Append(argument.Help).Append('\n');
        }

        if (verb.Aliases.Count > 0)
        {
            text.Append("Also: ").Append(string.Join(", ", verb.Aliases.Select(a => $"`{a}`"))).Append('\n');
        }

        return text.Append("Examples: ").Append(string.Join(", ", verb.Examples.Select(e => $"`{e}`"))).ToString();
    }
}
