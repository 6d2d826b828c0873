namespace ChatOps.Integrations.Infrastructure.Processes;

/// <summary>
/// Finds a program the way a shell would (a path is taken as is, a bare name is looked up on PATH),
/// so that a missing program is reported by name before anything starts.
/// </summary>
internal static class ExecutableResolver
{
    /// <summary>The full path of <paramref name="program"/>, or <see langword="null"/> when there is none.</summary>
    public static string? Find(string program, string? workingDirectory = null, string? pathVariable = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(program);
        if (program.Contains(Path.DirectorySeparatorChar) || program.Contains(Path.AltDirectorySeparatorChar))
        {
            var full = Path.GetFullPath(program, workingDirectory ?? Directory.GetCurrentDirectory());
            return IsExecutableFile(full) ? full : null;
        }

        var path = pathVariable ?? Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, program);
            if (IsExecutableFile(candidate))
            {
                return candidate;
            }

            if (OperatingSystem.IsWindows() && IsExecutableFile(candidate + ".exe"))
            {
                return candidate + ".exe";
            }
        }

        return null;
    }

    /// <summary>Where <see cref="Find"/> looks for a bare name, for error messages.</summary>
    public static string SearchedPlaces(string program, string? workingDirectory = null, string? pathVariable = null) =>
        program.Contains(Path.DirectorySeparatorChar) || program.Contains(Path.AltDirectorySeparatorChar)
            ? Path.GetFullPath(program, workingDirectory ?? Directory.GetCurrentDirectory())
            : $"PATH={pathVariable ?? Environment.GetEnvironmentVariable("PATH")}";

    private static bool IsExecutableFile(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        var mode = File.GetUnixFileMode(path);
        return (mode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
    }
}
