using System.Diagnostics;
using System.Globalization;

namespace ChatOps.Bench.CommandRoundTrip;

/// <summary>
/// Node processes and HAProxy fronts outlive the Bot that started them (that is how they survive a
/// restart), so the benchmark finds its own by a path under its temporary folder on their command line
/// (a node's <c>--root</c>, HAProxy's <c>-f</c> config) and stops them.
/// </summary>
public static class NodeProcesses
{
    public static IReadOnlyList<int> Find(string root)
    {
        var under = root.TrimEnd('/') + "/";
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

            if (args.Any(a => a.StartsWith(under, StringComparison.Ordinal)))
            {
                found.Add(pid);
            }
        }

        return found;
    }

    /// <summary>Kills every process started under <paramref name="root"/>; returns how many there were.</summary>
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
