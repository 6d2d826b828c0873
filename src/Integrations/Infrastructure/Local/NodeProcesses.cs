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
    // A node belongs to its environment, not to the bot: it runs in its own session, so a Ctrl-C (SIGINT
    // to the terminal's foreground process group), a stop or a crash of the bot leaves it serving, and
    // the next start adopts it. Its stdio goes to node.log in its directory rather than to pipes that
    // would break when the bot exits. setsid(1) calls setsid(2) and execs in place (the bot's child is
    // never a group leader), so the pid we see and record is the node's own.
    private static readonly Lazy<(string Shell, string SetSid)?> Detacher = new(() =>
        OperatingSystem.IsLinux() && ExecutableResolver.Find("setsid") is { } setsid && ExecutableResolver.Find("sh") is { } shell
            ? (shell, setsid)
            : null);

    public const string LogFileName = "node.log";

    /// <summary>How much of the end of <see cref="LogFileName"/> a failure quotes.</summary>
    private const int QuotedOutputChars = 400;

    /// <summary>
    /// The last lines a node wrote to its log (at most <see cref="QuotedOutputChars"/> characters, lines joined by
    /// " / "), or null when it wrote nothing: a node that dies before it is healthy usually said why.
    /// </summary>
    public static string? LastOutput(string nodeDirectory)
    {
        var path = Path.Combine(nodeDirectory, LogFileName);
        if (!File.Exists(path))
        {
            return null;
        }

        using var log = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        log.Seek(-Math.Min(log.Length, 4 * QuotedOutputChars), SeekOrigin.End);
        using var reader = new StreamReader(log);
        var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var tail = string.Join(" / ", lines);
        return tail.Length == 0 ? null : tail.Length <= QuotedOutputChars ? tail : "…" + tail[^QuotedOutputChars..];
    }

    public Process Start(string environment, string node, string version, int port, string nodeDirectory)
    {
        var start = new ProcessStartInfo { UseShellExecute = false };
        if (Detacher.Value is var (shell, setsid))
        {
            // A fixed script; the program and every argument are passed as positional parameters, never parsed.
            start.FileName = shell;
            foreach (var argument in (string[])["-c", "log=\"$1\"; shift; exec \"$@\" </dev/null >>\"$log\" 2>&1", "node",
                         Path.Combine(nodeDirectory, LogFileName), setsid, "--", program])
            {
                start.ArgumentList.Add(argument);
            }
        }
        else
        {
            // Elsewhere the node stays in the bot's session; redirected so it never holds on to the
            // bot's own stdout/stderr (a test runner waits for those to close).
            start.FileName = program;
            start.RedirectStandardInput = true;
            start.RedirectStandardOutput = true;
            start.RedirectStandardError = true;
        }

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
        if (start.RedirectStandardOutput)
        {
            process.OutputDataReceived += static (_, _) => { };
            process.ErrorDataReceived += static (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        return process;
    }

    /// <summary>True when <paramref name="processId"/> is alive and is this root's node for the environment.</summary>
    public bool IsNode(int processId, string environment, string? node = null)
    {
        string[] arguments = [.. ProcessTree.CommandLine(processId)];
        return arguments.Length > 0 && Matches(arguments, environment, node);
    }

    /// <summary>Every live process that is a node of this root and environment.</summary>
    public IEnumerable<(int ProcessId, string? Node)> FindAll(string environment) =>
        ProcessTree.Running()
            .Select(p => (p.ProcessId, Arguments: p.CommandLine.ToArray()))
            .Where(p => Matches(p.Arguments, environment, node: null))
            .Select(p => (p.ProcessId, ValueAfter(p.Arguments, "--node")));

    /// <summary>
    /// Stops a node and everything in its session: the node leads its own process group, so halt and
    /// destroy reach whatever it started too.
    /// </summary>
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
            ProcessTree.Kill(processId);
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (InvalidOperationException)
            {
                // exited in between
            }
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
