namespace ChatOps.Integrations.Infrastructure.Processes;

/// <summary>A program could not be started or did not finish on its own; carries its last output lines.</summary>
internal class ProcessException(string message, IReadOnlyList<string>? lastLines = null, Exception? inner = null)
    : Exception(message, inner)
{
    public IReadOnlyList<string> LastLines { get; } = lastLines ?? [];
}

/// <summary>The program is neither a path to an executable file nor found on PATH.</summary>
internal sealed class ProgramNotFoundException(string program, string? searched)
    : ProcessException(searched is null
        ? $"Program '{program}' was not found."
        : $"Program '{program}' was not found (looked in {searched}).")
{
    public string Program { get; } = program;
}

/// <summary>The program ran past its time limit; its whole process tree was stopped.</summary>
internal sealed class ProcessTimedOutException(string program, TimeSpan timeout, IReadOnlyList<string> lastLines)
    : ProcessException($"'{program}' did not finish within {timeout:c}; it and every process it started were stopped.", lastLines)
{
    public TimeSpan Timeout { get; } = timeout;
}
