namespace ChatOps.Bot.Cli;

/// <summary>
/// A command-line verb of the bot (<c>storage-copy</c>, <c>audit verify</c>), run with the host's services instead of
/// serving. What every verb does alike is here, so that each keeps only its options and its work: <c>--help</c> or
/// <c>-h</c> anywhere prints the usage to standard output with exit code 0; an argument that is unknown, lacks its value
/// or is malformed is named on standard error, followed by the usage, with exit code 2.
/// </summary>
/// <param name="name">The verb's words, space-separated: <c>audit verify</c>.</param>
/// <param name="options">The options the verb takes; any other argument is refused before the verb runs.</param>
/// <param name="synopsis">What follows the name in the usage line: <c>[--guild ID]</c>.</param>
/// <param name="explanation">The lines after the usage line: what the verb does and what each option means.</param>
internal abstract class CliVerb(string name, IReadOnlyList<CliOption> options, string synopsis, IReadOnlyList<string> explanation)
{
    /// <summary>Bad arguments, as usual for command-line tools.</summary>
    public const int UsageError = 2;

    private readonly string[] _words = name.Split(' ');

    public string Name => name;

    /// <summary>How many of the command line's words name the verb; its arguments follow them.</summary>
    public int WordCount => _words.Length;

    public IReadOnlyList<CliOption> Options => options;

    public IEnumerable<string> Usage => explanation.Prepend($"Usage: {name} {synopsis}");

    public bool Matches(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args.Count >= _words.Length && _words.Select((word, i) => args[i] == word).All(same => same);
    }

    /// <summary>Runs the verb on <paramref name="args"/>, the words after its name; returns the process's exit code.</summary>
    public async Task<int> RunAsync(IServiceProvider services, IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Any(a => a is "--help" or "-h"))
        {
            await WriteUsageAsync(output);
            return 0;
        }

        if (!CliArguments.TryParse(args, options, out var parsed, out var problem))
        {
            return await RefuseArgumentsAsync(error, problem);
        }

        return await ExecuteAsync(services, parsed, output, error, cancellationToken);
    }

    /// <summary>The verb's own work, on arguments that hold only its options, each with a value where it takes one.</summary>
    protected abstract Task<int> ExecuteAsync(IServiceProvider services, CliArguments args, TextWriter output, TextWriter error, CancellationToken cancellationToken);

    /// <summary>Names what is wrong with the arguments and shows the usage, on <paramref name="error"/>: exit code 2.</summary>
    protected async Task<int> RefuseArgumentsAsync(TextWriter error, string problem)
    {
        ArgumentNullException.ThrowIfNull(error);
        await error.WriteLineAsync(problem);
        await WriteUsageAsync(error);
        return UsageError;
    }

    private async Task WriteUsageAsync(TextWriter writer)
    {
        foreach (var line in Usage)
        {
            await writer.WriteLineAsync(line);
        }
    }
}
