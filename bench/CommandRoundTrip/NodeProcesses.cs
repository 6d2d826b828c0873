using System.Diagnostics;
using System.Globalization;

namespace ChatOps.Bench.CommandRoundTrip;

/// <summary>
/// Node processes outlive the Bot that started them (that is how they survive a restart), so the
/// benchmark finds its own by the <c>--root</c> on their command line and stops them.
/// </summary>
public static class NodeProcesses
{
    public static IReadOnlyList<int> Find(string root)
    {
        var found = new List<int>();
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
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // exited while we looked, or not ours to read
            }

            var index = Array.IndexOf(args, "--root");
            if (index >= 0 && index + 1 < args.Length && args[index + 1] == root)
            {
                found.Add(pid);
            }
        }

        return found;
    }

    /// <summary>Kills every node under <paramref name="root"/>; returns how many there were.</summary>
    public static int StopAll(string root)
    {
        var pids = Find(root);
        foreach (var pid in pids)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
                process.WaitForExit(TimeSpan.FromSeconds(10));
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // Already gone.
            }
        }

        return pids.Count;
    }
}
