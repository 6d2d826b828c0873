namespace ChatOps.Integrations.Infrastructure.Processes;

/// <summary>
/// A program to start and the exact arguments it receives. Arguments are a list handed to the
/// operating system one by one: nothing is ever joined into a shell string, so a value such as
/// <c>$(rm -rf /)</c> arrives as those characters.
/// </summary>
internal sealed record ProcessSpec(string Program, IReadOnlyList<string> Arguments)
{
    /// <summary>The directory the program starts in; <see langword="null"/> for the current one.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Variables added to the inherited environment; a <see langword="null"/> value removes one.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>How many of the last output lines to keep for error reports. <value>Default: 40.</value></summary>
    public int KeepLines { get; init; } = 40;

    /// <summary>A short description for logs and messages: the program and its first argument.</summary>
    public string DisplayName => Arguments.Count == 0 ? Program : $"{Program} {Arguments[0]}";
}

internal enum OutputStream
{
    StandardOutput,
    StandardError,
}

/// <summary>One line a program wrote, without its line ending.</summary>
internal readonly record struct OutputLine(OutputStream Stream, string Text);

/// <summary>How a program that ran to its end finished.</summary>
internal sealed record ProcessResult(int ExitCode, IReadOnlyList<string> LastLines)
{
    public bool Succeeded => ExitCode == 0;
}
