using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace ChatOps.Integrations.Infrastructure.Processes;

/// <summary>
/// Stops a process and everything it started. Two nets are cast because either alone misses cases:
/// the parent/child walk (<see cref="Process.Kill(bool)"/>) finds descendants still attached to a
/// living parent, and the signal to the process group (programs are started in their own session by
/// <see cref="ProcessLauncher"/>) finds grandchildren whose parent already exited and who were
/// re-parented to init.
/// </summary>
internal static class ProcessTree
{
    private const int SigKill = 9;

    /// <summary>Kills <paramref name="processId"/>, its descendants and, when it leads its own process group, that group.</summary>
    /// <remarks>
    /// For a pid read back from a file after a restart, check <see cref="CommandLine"/> first: the
    /// system may have given that pid to an unrelated program since.
    /// </remarks>
    public static void Kill(int processId)
    {
        var leadsOwnGroup = LeadsOwnGroup(processId);
        try
        {
            using var process = Process.GetProcessById(processId);
            process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or Win32Exception)
        {
            // Already gone: nothing of the tree is left to walk; the group signal below still runs.
        }

        if (leadsOwnGroup)
        {
            _ = SendSignal(-processId, SigKill);
        }
    }

    /// <summary>Whether a process with this id is running (and is not a zombie).</summary>
    public static bool IsAlive(int processId)
    {
        if (OperatingSystem.IsLinux())
        {
            var stat = ReadStat(processId);
            return stat is not null && stat.Value.State is not 'Z' and not 'X';
        }

        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The command line of a running process (Linux), to check a pid file still names our program.</summary>
    public static IReadOnlyList<string> CommandLine(int processId)
    {
        try
        {
            var raw = File.ReadAllText($"/proc/{processId}/cmdline");
            return raw.Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>
    /// Every running process with its command line (Linux; none elsewhere): the one scan of <c>/proc</c>,
    /// for finding the processes a data directory owns after a crash, whose records may never have been written.
    /// </summary>
    public static IEnumerable<(int ProcessId, IReadOnlyList<string> CommandLine)> Running()
    {
        if (!Directory.Exists("/proc"))
        {
            yield break;
        }

        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var processId)
                && CommandLine(processId) is { Count: > 0 } commandLine)
            {
                yield return (processId, commandLine);
            }
        }
    }

    private static bool LeadsOwnGroup(int processId)
    {
        if (!OperatingSystem.IsLinux() || processId == Environment.ProcessId)
        {
            return false;
        }

        var stat = ReadStat(processId);
        return stat is not null && stat.Value.ProcessGroup == processId;
    }

    private static (char State, int ProcessGroup)? ReadStat(int processId)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{processId}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // The command name is in parentheses and may itself contain spaces or ')': fields resume after the last ')'.
        var rest = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return rest.Length > 2 && int.TryParse(rest[2], out var group) ? (rest[0][0], group) : null;
    }

    private static int SendSignal(int processId, int signal) =>
        OperatingSystem.IsWindows() ? -1 : NativeKill(processId, signal);

    // DllImport rather than LibraryImport: the signature is blittable and needs no unsafe code in the project.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int NativeKill(int pid, int sig);
#pragma warning restore SYSLIB1054
}
