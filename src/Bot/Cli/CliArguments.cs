using System.Diagnostics.CodeAnalysis;

namespace ChatOps.Bot.Cli;

/// <summary>
/// A verb's arguments, read against the options it declares: <c>--name value</c> or <c>--name=value</c>, in any order, the
/// last of a repeated option winning where one value is wanted. A value is the next argument unless that is an option
/// itself, so an option typed without its value is named rather than swallowing the option after it.
/// </summary>
internal sealed class CliArguments
{
    private readonly List<(CliOption Option, string? Value)> _given = [];

    private CliArguments()
    {
    }

    /// <summary>Whether <paramref name="option"/> was given.</summary>
    public bool Has(CliOption option) => _given.Exists(g => g.Option == option);

    /// <summary>The value <paramref name="option"/> was last given, or null when it was not given.</summary>
    public string? Value(CliOption option) => _given.FindLast(g => g.Option == option).Value;

    /// <summary>Every value <paramref name="option"/> was given, in order: a repeatable option such as <c>--head</c>.</summary>
    public IReadOnlyList<string> Values(CliOption option) => [.. _given.Where(g => g.Option == option).Select(g => g.Value!)];

    /// <summary>
    /// Reads <paramref name="args"/>; false with the first <paramref name="problem"/> (an unknown argument, a value missing
    /// or given to a flag), named as typed.
    /// </summary>
    public static bool TryParse(IReadOnlyList<string> args, IReadOnlyList<CliOption> options, out CliArguments parsed, [NotNullWhen(false)] out string? problem)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(options);
        parsed = new CliArguments();
        problem = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var (name, inline) = IsOption(arg) && equals > 0 ? (arg[..equals], arg[(equals + 1)..]) : (arg, null);
            var option = options.FirstOrDefault(o => o.Name == name);
            if (option is null)
            {
                problem = $"Unknown argument '{arg}'.";
                return false;
            }

            if (option.IsFlag)
            {
                if (inline is not null)
                {
                    problem = $"{option.Name} takes no value; got '{arg}'.";
                    return false;
                }

                parsed._given.Add((option, null));
                continue;
            }

            var value = inline ?? (i + 1 < args.Count && !IsOption(args[i + 1]) ? args[++i] : null);
            if (string.IsNullOrWhiteSpace(value))
            {
                problem = option.Refusal();
                return false;
            }

            parsed._given.Add((option, value));
        }

        return true;
    }

    private static bool IsOption(string arg) => arg.StartsWith("--", StringComparison.Ordinal);
}
