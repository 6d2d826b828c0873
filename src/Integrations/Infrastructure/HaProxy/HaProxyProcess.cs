using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ChatOps.Integrations.Infrastructure.Processes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Infrastructure.HaProxy;

/// <summary>
/// Supervises one haproxy daemon per local environment: starts it from a freshly generated config,
/// re-attaches to the one named by the pid file after our own restart (it keeps serving while we are
/// away), and stops it.
/// </summary>
internal sealed class HaProxyProcess(
    IOptions<HaProxyOptions> options,
    ProcessLauncher launcher,
    HaProxyRuntimeClient runtime,
    TimeProvider timeProvider,
    ILogger<HaProxyProcess> logger)
{
    /// <summary>The running haproxy's pid if the pid file names a live haproxy started with this environment's config.</summary>
    public static int? FindRunning(HaProxyPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (!File.Exists(paths.PidFile)
            || !int.TryParse(File.ReadAllText(paths.PidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !ProcessTree.IsAlive(pid))
        {
            return null;
        }

        // A stale pid file may name a pid the system has since given to another program.
        var commandLine = ProcessTree.CommandLine(pid);
        return commandLine.Count > 0
            && commandLine[0].Contains("haproxy", StringComparison.Ordinal)
            && commandLine.Contains(paths.Config)
            ? pid
            : null;
    }

    /// <summary>
    /// Starts haproxy for the environment unless it already runs, and returns its front port.
    /// The config and sorry map are written from <paramref name="state"/> before starting.
    /// </summary>
    public async Task<int> EnsureRunningAsync(string environment, HaProxyPaths paths, HaProxyEnvironmentState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(state);
        var port = state.Port ?? throw new InvalidOperationException("A port is chosen before haproxy starts.");
        if (FindRunning(paths) is { } pid)
        {
            Log.Reattached(logger, environment, pid);
            return port;
        }

        var settings = options.Value;
        Directory.CreateDirectory(paths.Directory);
        await File.WriteAllTextAsync(paths.SorryMap, HaProxyConfigWriter.WriteSorryMap(state.SorryMessage ?? settings.SorryMessage), cancellationToken);
        await File.WriteAllTextAsync(paths.Config, HaProxyConfigWriter.Write(environment, port, paths, state, settings.HealthCheckInterval), cancellationToken);
        File.Delete(paths.Socket);

        // -D daemonizes once the listeners and the stats socket are bound, so a zero exit means serving.
        var spec = new ProcessSpec(settings.Executable, ["-D", "-f", paths.Config, "-p", paths.PidFile]) { WorkingDirectory = paths.Directory };
        ProcessResult result;
        try
        {
            result = await launcher.RunAsync(spec, settings.StartTimeout, null, cancellationToken);
        }
        catch (ProgramNotFoundException ex)
        {
            throw new LoadBalancerException(HaProxyLoadBalancer.NotInstalled, ex);
        }
        catch (ProcessException ex)
        {
            throw new LoadBalancerException($"haproxy for '{environment}' did not start: {ex.Message} {string.Join(" | ", ex.LastLines)}", ex);
        }

        if (!result.Succeeded)
        {
            var reason = string.Join(" | ", result.LastLines.Where(l => l.Contains("ALERT", StringComparison.Ordinal)).DefaultIfEmpty(string.Join(" | ", result.LastLines)));
            throw new LoadBalancerException($"haproxy for '{environment}' did not start (exit code {result.ExitCode}): {reason}");
        }

        await WaitForSocketAsync(environment, paths, cancellationToken);
        var started = FindRunning(paths) ?? 0;
        Log.Started(logger, environment, started, port);
        return port;
    }

    /// <summary>Stops the environment's haproxy, if it runs. Our records are kept for the next start.</summary>
    public async Task StopAsync(string environment, HaProxyPaths paths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (FindRunning(paths) is not { } pid)
        {
            return;
        }

        ProcessTree.Kill(pid);
        for (var i = 0; i < 50 && ProcessTree.IsAlive(pid); i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), timeProvider, cancellationToken);
        }

        File.Delete(paths.Socket);
        File.Delete(paths.PidFile);
        Log.Stopped(logger, environment, pid);
    }

    /// <summary>
    /// Picks the environment's front port: the configured one, else the first port from the base that
    /// no other environment has recorded and that nothing listens on.
    /// </summary>
    public static async Task<int> ChoosePortAsync(HaProxyOptions settings, string environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.For(environment).Port is { } configured)
        {
            return configured;
        }

        var taken = new HashSet<int>();
        var root = Path.GetFullPath(settings.StateDirectory);
        if (Directory.Exists(root))
        {
            foreach (var directory in Directory.EnumerateDirectories(root))
            {
                var other = await HaProxyStateStore.ReadAsync(new HaProxyPaths(directory), cancellationToken);
                if (other.Port is { } port)
                {
                    taken.Add(port);
                }
            }
        }

        taken.UnionWith(settings.Environments.Values.Where(e => e.Port is not null).Select(e => e.Port!.Value));
        for (var port = settings.FrontPortBase; port <= 65535; port++)
        {
            if (!taken.Contains(port) && IsFree(port))
            {
                return port;
            }
        }

        throw new LoadBalancerException($"No free loopback port from {settings.FrontPortBase} for the '{environment}' front: set HaProxy:Environments:{environment}:Port.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private async Task WaitForSocketAsync(string environment, HaProxyPaths paths, CancellationToken cancellationToken)
    {
        var deadline = timeProvider.GetUtcNow() + options.Value.StartTimeout;
        while (true)
        {
            try
            {
                await runtime.SendAsync(paths.SocketUri, "show info", cancellationToken);
                return;
            }
            catch (LoadBalancerException) when (timeProvider.GetUtcNow() < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), timeProvider, cancellationToken);
            }
            catch (LoadBalancerException ex)
            {
                throw new LoadBalancerException($"haproxy for '{environment}' started but its runtime socket does not answer: {ex.Message}", ex);
            }
        }
    }
}
