using System.Diagnostics;
using System.Globalization;
using ChatOps.Integrations.Infrastructure.Processes;

namespace ChatOps.Bot.FunctionalTests.Infrastructure;

/// <summary>
/// Finds the processes a test's bot started (nodes by the <c>--root</c> on their command line, as the
/// Local provider does; HAProxy fronts by their config path), so none outlives its test.
/// </summary>
public static class NodeProcesses
{
    public static List<(int ProcessId, string Environment, string Node)> Find(string root) =>
        [.. CommandLines()
            .Where(p => Value(p.Arguments, "--root") == root)
            .Select(p => (p.ProcessId, Value(p.Arguments, "--env") ?? "", Value(p.Arguments, "--node") ?? ""))];

    private static string? Value(string[] args, string name) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

    /// <summary>
    /// A loopback port range for one test's HAProxy fronts, spread so parallel tests do not race for
    /// the same ports (HAProxy then takes the first free one from here).
    /// </summary>
    public static int FrontPortBase() => 20000 + (Random.Shared.Next(0, 400) * 100);

    /// <summary>Stops every process whose command line mentions <paramref name="root"/>: nodes and HAProxy fronts.</summary>
    public static void StopEverythingUnder(string root) => Stop(CommandLines().Where(p => p.Arguments.Any(a => a.Contains(root, StringComparison.Ordinal))).Select(p => p.ProcessId));

    private static IEnumerable<(int ProcessId, string[] Arguments)> CommandLines() =>
        Directory.EnumerateDirectories("/proc")
            .Select(entry => int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0 && pid != Environment.ProcessId)
            .Select(pid => (ProcessId: pid, Arguments: ProcessTree.CommandLine(pid).ToArray()))
            .Where(p => p.Arguments.Length > 0);

    private static void Stop(IEnumerable<int> processIds)
    {
        foreach (var pid in processIds.ToList())
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
