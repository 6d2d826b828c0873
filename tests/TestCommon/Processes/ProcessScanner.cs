using System.Diagnostics;
using ChatOps.Integrations.Infrastructure.Processes;

namespace ChatOps.TestCommon.Processes;

/// <summary>
/// Finds the processes a bot left under a folder: node processes and HAProxy fronts outlive the bot
/// that started them (that is how they survive a restart), so tests and benchmarks find their own by a
/// path under their temporary folder on the command line (a node's <c>--root</c>, HAProxy's <c>-f</c>
/// config) and stop them. Reads <see cref="ProcessTree.Running"/>, the same scan the Local provider
/// adopts its nodes with.
/// </summary>
public static class ProcessScanner
{
    /// <summary>The node processes whose <c>--root</c> is <paramref name="nodesRoot"/>.</summary>
    public static List<(int ProcessId, string Environment, string Node)> Nodes(string nodesRoot) =>
        [.. Others()
            .Where(p => Value(p.Arguments, "--root") == nodesRoot)
            .Select(p => (p.ProcessId, Value(p.Arguments, "--env") ?? "", Value(p.Arguments, "--node") ?? ""))];

    /// <summary>Every process with an argument that mentions <paramref name="root"/>: nodes and HAProxy fronts.</summary>
    public static List<int> Under(string root) => [.. ProgramsUnder(root).Select(p => p.ProcessId)];

    /// <summary>
    /// Stops every process <see cref="Under"/> <paramref name="root"/>; returns the program each ran (its file name, as
    /// <c>haproxy</c>), one entry per process.
    /// </summary>
    public static List<string> StopEverythingUnder(string root)
    {
        var stopped = ProgramsUnder(root);
        foreach (var (processId, _) in stopped)
        {
            try
            {
                using var process = Process.GetProcessById(processId);
                process.Kill(entireProcessTree: true);
                process.WaitForExit(TimeSpan.FromSeconds(10));
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // Already gone.
            }
        }

        return [.. stopped.Select(p => p.Program)];
    }

    private static List<(int ProcessId, string Program)> ProgramsUnder(string root) =>
        [.. Others().Where(p => p.Arguments.Any(a => a.Contains(root, StringComparison.Ordinal)))
            .Select(p => (p.ProcessId, Path.GetFileName(p.Arguments.Count > 0 ? p.Arguments[0] : "?")))];

    private static IEnumerable<(int ProcessId, IReadOnlyList<string> Arguments)> Others() =>
        ProcessTree.Running().Where(p => p.ProcessId != Environment.ProcessId).Select(p => (p.ProcessId, Arguments: p.CommandLine));

    private static string? Value(IReadOnlyList<string> arguments, string name) =>
        arguments.ToList().IndexOf(name) is var i and >= 0 && i + 1 < arguments.Count ? arguments[i + 1] : null;
}
