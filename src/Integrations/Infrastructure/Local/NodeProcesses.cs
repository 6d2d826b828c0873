using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ChatOps.Integrations.Infrastructure.Processes;

namespace ChatOps.Integrations.Infrastructure.Local;

/// <summary>
/// Starts, recognises and stops node processes. A node's command line carries <c>--root</c> and
/// <c>--env</c>, so after a crash every process that belongs to this data directory can be found in
/// <c>/proc</c>, even one whose record was never written.
/// </summary>
internal sealed class NodeProcesses(string program, IReadOnlyList<string> prefixArguments, string root)
{
    public Process Start(string environment, string node, string version, int port)
    {
        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            // Redirected so a node never holds on to the bot's own stdout/stderr (a test runner
            // waits for those to close); nodes log nothing, the pipes are drained and discarded.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in prefixArguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var argument in (string[])["--env", environment, "--node", node, "--version", version,
                     "--port", port.ToString(CultureInfo.InvariantCulture), "--root", root])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new ProviderException($"Could not start {program}.");
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>True when <paramref name="processId"/> is alive and is this root's node for the environment.</summary>
    public bool IsNode(int processId, string environment, string? node = null)
    {
        string[] arguments = [.. ProcessTree.CommandLine(processId)];
        return arguments.Length > 0 && Matches(arguments, environment, node);
    }

    /// <summary>Every live process that is a node of this root and environment.</summary>
    public IEnumerable<(int ProcessId, string? Node)> FindAll(string environment)
    {
        if (!Directory.Exists("/proc"))
        {
            yield break;
        }

        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string[] arguments = [.. ProcessTree.CommandLine(pid)];
            if (arguments.Length > 0 && Matches(arguments, environment, node: null))
            {
                yield return (pid, ValueAfter(arguments, "--node"));
            }
        }
    }

    public static async Task StopAsync(int processId, CancellationToken cancellationToken)
    {
        Process process;
        try
        {
            process = Process.GetProcessById(processId);
        }
        catch (ArgumentException)
        {
            return; // already gone
        }

        using (process)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                return; // exited in between
            }

            await process.WaitForExitAsync(cancellationToken);
        }
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private bool Matches(string[] arguments, string environment, string? node) =>
        ValueAfter(arguments, "--root") == root
        && ValueAfter(arguments, "--env") == environment
        && (node is null || ValueAfter(arguments, "--node") == node);

    private static string? ValueAfter(string[] arguments, string name)
    {
        var index = Array.IndexOf(arguments, name);
        return index >= 0 && index + 1 < arguments.Length ? arguments[index + 1] : null;
    }
}
