using System.Diagnostics;
using System.Globalization;

namespace ChatOps.Bot.FunctionalTests.Infrastructure;

/// <summary>Finds node processes by the <c>--root</c> on their command line, as the Local provider does.</summary>
public static class NodeProcesses
{
    public static List<(int ProcessId, string Environment, string Node)> Find(string root)
    {
        var found = new List<(int, string, string)>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string[] args;
            try
            {
                args = File.ReadAllText(Path.Combine(entry, "cmdline")).TrimEnd('\0').Split('\0');
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
            if (Value("--root") == root)
            {
                found.Add((pid, Value("--env") ?? "", Value("--node") ?? ""));
            }
        }

        return found;
    }

    public static void StopAll(string root)
    {
        foreach (var (pid, _, _) in Find(root))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
                process.WaitForExit(TimeSpan.FromSeconds(10));
            }
            catch (ArgumentException)
            {
                // already gone
            }
            catch (InvalidOperationException)
            {
                // already gone
            }
        }
    }
}
