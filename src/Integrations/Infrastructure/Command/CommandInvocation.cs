using ChatOps.Integrations.Infrastructure.Processes;

namespace ChatOps.Integrations.Infrastructure.Command;

/// <summary>One run of a configured program, with its placeholders already substituted.</summary>
internal sealed record CommandInvocation(string Label, ProcessSpec Process, TimeSpan Timeout);

/// <summary>Turns a <see cref="CommandSpec"/> and an operation into the programs to run.</summary>
internal static class CommandInvocations
{
    private const string EnvPlaceholder = "{env}";
    private const string VersionPlaceholder = "{version}";
    private const string NodePlaceholder = "{node}";

    /// <summary>
    /// The invocations for <paramref name="spec"/>: one, or one per node when <c>{node}</c> is used.
    /// Throws <see cref="ProviderException"/> when a placeholder has no value.
    /// </summary>
    public static IReadOnlyList<CommandInvocation> Build(CommandSpec spec, ProviderOperation operation, string contentRoot, int keepLines)
    {
        var texts = spec.Arguments.Append(spec.WorkingDirectory ?? "").Concat(spec.Environment.Values).ToList();
        var usesVersion = texts.Exists(t => t.Contains(VersionPlaceholder, StringComparison.Ordinal));
        var perNode = texts.Exists(t => t.Contains(NodePlaceholder, StringComparison.Ordinal));
        if (usesVersion)
        {
            CheckVersion(operation);
        }

        if (perNode && operation.Environment.Nodes.Count == 0)
        {
            throw new ProviderException($"The command for '{operation.Environment.Name}' runs once per node ({NodePlaceholder}), but the environment has no nodes configured.");
        }

        IReadOnlyList<string?> nodes = perNode ? [.. operation.Environment.Nodes] : [null];
        return [.. nodes.Select(node => Create(spec, operation, node, contentRoot, keepLines))];
    }

    private static CommandInvocation Create(CommandSpec spec, ProviderOperation operation, string? node, string contentRoot, int keepLines)
    {
        string Substitute(string text) => text
            .Replace(EnvPlaceholder, operation.Environment.Name, StringComparison.Ordinal)
            .Replace(VersionPlaceholder, operation.Version ?? "", StringComparison.Ordinal)
            .Replace(NodePlaceholder, node ?? "", StringComparison.Ordinal);

        var workingDirectory = string.IsNullOrEmpty(spec.WorkingDirectory)
            ? contentRoot
            : Path.GetFullPath(Substitute(spec.WorkingDirectory), contentRoot);
        var process = new ProcessSpec(spec.Program, [.. spec.Arguments.Select(Substitute)])
        {
            WorkingDirectory = workingDirectory,
            Environment = spec.Environment.ToDictionary(e => e.Key, e => (string?)Substitute(e.Value)),
            KeepLines = keepLines,
        };
        var label = node is null ? process.DisplayName : $"{node}: {process.DisplayName}";
        return new CommandInvocation(label, process, spec.Timeout);
    }

    /// <summary>
    /// The version comes from a chat user: it is only ever data inside one argument, but a value that
    /// looks like an option could still change what a program does when an argument is just "{version}".
    /// </summary>
    private static void CheckVersion(ProviderOperation operation)
    {
        if (string.IsNullOrWhiteSpace(operation.Version))
        {
            throw new ProviderException($"The {operation.Verb.ToString().ToLowerInvariant()} command for '{operation.Environment.Name}' needs a version ({VersionPlaceholder}); none was given.");
        }

        if (operation.Version.StartsWith('-') || operation.Version.Any(char.IsControl))
        {
            throw new ProviderException($"Version '{operation.Version}' is not allowed: it may not start with '-' or contain control characters.");
        }
    }
}
