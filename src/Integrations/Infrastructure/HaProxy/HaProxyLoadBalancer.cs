using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using ChatOps.Integrations.Infrastructure.Processes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Infrastructure.HaProxy;

/// <summary>
/// <see cref="ILoadBalancer"/> over HAProxy's runtime API. A local environment gets its own haproxy
/// (started on first use, see <see cref="HaProxyProcess"/>); an environment configured with a runtime
/// address is driven on an existing HAProxy. Every change goes to HAProxy first and to our records
/// only once HAProxy accepted it, so a failure leaves the records as they were.
/// </summary>
internal sealed partial class HaProxyLoadBalancer(
    IOptions<HaProxyOptions> options,
    HaProxyRuntimeClient runtime,
    HaProxyProcess process,
    ILogger<HaProxyLoadBalancer> logger) : ILoadBalancer
{
    public const string NotInstalled = "HAProxy is not installed: `sudo apt-get install haproxy`";

    private const string Maintenance = "MAINT";

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.OrdinalIgnoreCase);

    // Programs found on PATH once: every `/env status` asks, and a search is a dozen file look-ups. A program not found is
    // looked for again next time, so installing it needs no restart; one removed later fails when it is started.
    private readonly ConcurrentDictionary<string, bool> _installed = new(StringComparer.Ordinal);

    public Task<LoadBalancerAvailability> CheckAvailabilityAsync(string environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var settings = options.Value;
        var available = settings.For(environment).Runtime is not null || IsInstalled(settings.Executable);
        return Task.FromResult(available ? new LoadBalancerAvailability(true) : new LoadBalancerAvailability(false, NotInstalled));
    }

    private bool IsInstalled(string executable)
    {
        if (_installed.ContainsKey(executable))
        {
            return true;
        }

        if (ExecutableResolver.Find(executable) is null)
        {
            return false;
        }

        _installed[executable] = true;
        return true;
    }

    public Task<LoadBalancerStatus> GetStatusAsync(string environment, CancellationToken cancellationToken) =>
        WithGateAsync(environment, async () =>
        {
            var target = Target(environment);
            var state = await HaProxyStateStore.ReadAsync(target.Paths, cancellationToken);
            if (target.Managed && HaProxyProcess.FindRunning(target.Paths) is null)
            {
                // Status only reads: a stopped front is reported from our records, not started.
                return new LoadBalancerStatus(null, [.. state.Servers.Select(s => new LoadBalancerServer(s.Name, s.Weight, "STOPPED"))], state.Sorry, state.Sorry ? SorryMessage(state) : null);
            }

            var endpoint = target.Managed ? target.Paths.SocketUri : target.Settings.Runtime!;
            var rows = await runtime.ShowServersAsync(endpoint, target.Settings.Backend, cancellationToken);
            var servers = rows.Select(r => new LoadBalancerServer(r.ServiceName, r.Weight ?? 0, NormalizeState(r.Status))).ToList();
            var sorry = servers.Count > 0 ? servers.TrueForAll(s => s.State == Maintenance) : state.Sorry;
            return new LoadBalancerStatus(FrontUrl(target, state), servers, sorry, sorry ? SorryMessage(state) : null);
        }, cancellationToken);

    public Task SetWeightsAsync(string environment, IReadOnlyDictionary<string, int> weights, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.FirstOrDefault(w => w.Value is < 0 or > 256) is { Key: not null } bad)
        {
            throw new LoadBalancerException($"Weight {bad.Value} for '{bad.Key}' is out of range: HAProxy weights go from 0 to 256.");
        }

        return WithGateAsync(environment, async () =>
        {
            var (target, state, endpoint) = await OpenAsync(environment, cancellationToken);
            var rows = await runtime.ShowServersAsync(endpoint, target.Settings.Backend, cancellationToken);
            // Every name is checked before anything changes, so a typo changes nothing.
            var resolved = weights.Select(w => (Server: Resolve(environment, rows, w.Key), Weight: w.Value)).ToList();
            foreach (var (server, weight) in resolved)
            {
                await runtime.SetWeightAsync(endpoint, target.Settings.Backend, server, weight, cancellationToken);
            }

            var byName = resolved.ToDictionary(r => r.Server, r => r.Weight, StringComparer.Ordinal);
            await SaveAsync(target, state with
            {
                Servers = [.. state.Servers.Select(s => byName.TryGetValue(s.Name, out var w) ? s with { Weight = w } : s)],
            }, cancellationToken);
            if (logger.IsEnabled(LogLevel.Information))
            {
                var summary = string.Join(", ", resolved.Select(r => $"{r.Server}={r.Weight}"));
                Log.WeightsSet(logger, environment, summary);
            }
            return true;
        }, cancellationToken);
    }

    public Task SetSorryAsync(string environment, bool on, string? message, CancellationToken cancellationToken)
    {
        var text = string.IsNullOrWhiteSpace(message) ? options.Value.SorryMessage : message.Trim();
        if (text.Length > HaProxySorryPage.MaxMessageLength)
        {
            throw new LoadBalancerException($"The sorry message is {text.Length} characters long; at most {HaProxySorryPage.MaxMessageLength} are allowed.");
        }

        return WithGateAsync(environment, async () =>
        {
            var (target, state, endpoint) = await OpenAsync(environment, cancellationToken);
            var rows = await runtime.ShowServersAsync(endpoint, target.Settings.Backend, cancellationToken);
            var mapPath = target.Managed ? target.Paths.SorryMap : target.Settings.SorryMap;
            if (on && mapPath is not null)
            {
                // The page is in place before the last server leaves, so nobody sees a stale message.
                await runtime.SetMapValueAsync(endpoint, mapPath, HaProxySorryPage.MapKey, HaProxySorryPage.Render(text), cancellationToken);
            }

            foreach (var row in rows)
            {
                await runtime.SetStateAsync(endpoint, target.Settings.Backend, row.ServiceName, on ? "maint" : "ready", cancellationToken);
            }

            if (!on && mapPath is not null)
            {
                // The page still serves whenever every node is down: "Back at 9pm" must not outlive the maintenance it announced.
                await runtime.SetMapValueAsync(endpoint, mapPath, HaProxySorryPage.MapKey, HaProxySorryPage.Render(text), cancellationToken);
            }

            if (target.Managed)
            {
                await File.WriteAllTextAsync(target.Paths.SorryMap, HaProxyConfigWriter.WriteSorryMap(text), cancellationToken);
            }

            await SaveAsync(target, state with { Sorry = on, SorryMessage = on ? text : null }, cancellationToken);
            Log.SorrySet(logger, environment, on ? "on" : "off");
            return true;
        }, cancellationToken);
    }

    public Task AddServerAsync(string environment, string server, Uri address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        CheckServerName(server);
        return WithGateAsync(environment, async () =>
        {
            var endPoint = await ResolveAsync(address, cancellationToken);
            var (target, state, endpoint) = await OpenAsync(environment, cancellationToken);
            var rows = await runtime.ShowServersAsync(endpoint, target.Settings.Backend, cancellationToken);
            var recorded = state.Servers.FirstOrDefault(s => s.Name == server);
            var weight = recorded?.Weight ?? options.Value.DefaultWeight;
            if (rows.Any(r => r.ServiceName == server))
            {
                await runtime.SetAddressAsync(endpoint, target.Settings.Backend, server, endPoint.Address, endPoint.Port, cancellationToken);
            }
            else
            {
                await runtime.AddServerAsync(endpoint, target.Settings.Backend, server, endPoint, weight, options.Value.HealthCheckInterval, cancellationToken);
                if (!state.Sorry)
                {
                    await runtime.SetStateAsync(endpoint, target.Settings.Backend, server, "ready", cancellationToken);
                }
            }

            if (!state.Sorry)
            {
                // The caller adds a node that answers its health check: it serves now, not after the checks rise
                // (which left the front answering 503 for seconds after "is up"). The checks go on and take it out if it fails.
                await runtime.SetHealthAsync(endpoint, target.Settings.Backend, server, "up", cancellationToken);
            }

            var record = new HaProxyServerRecord(server, FormatAddress(endPoint), weight);
            await SaveAsync(target, state with { Servers = [.. state.Servers.Where(s => s.Name != server), record] }, cancellationToken);
            Log.ServerAdded(logger, environment, server, record.Address);
            return true;
        }, cancellationToken);
    }

    public Task RemoveServerAsync(string environment, string server, CancellationToken cancellationToken)
    {
        CheckServerName(server);
        return WithGateAsync(environment, async () =>
        {
            var target = Target(environment);
            var state = await HaProxyStateStore.ReadAsync(target.Paths, cancellationToken);
            if (!target.Managed || HaProxyProcess.FindRunning(target.Paths) is not null)
            {
                var endpoint = target.Managed ? target.Paths.SocketUri : target.Settings.Runtime!;
                var rows = await runtime.ShowServersAsync(endpoint, target.Settings.Backend, cancellationToken);
                if (rows.Any(r => r.ServiceName == server))
                {
                    await runtime.DeleteServerAsync(endpoint, target.Settings.Backend, server, cancellationToken);
                }
            }

            await SaveAsync(target, state with { Servers = [.. state.Servers.Where(s => s.Name != server)] }, cancellationToken);
            Log.ServerRemoved(logger, environment, server);
            return true;
        }, cancellationToken);
    }

    /// <summary>Stops a local environment's haproxy (for shutdown and tests); our records are kept for the next start.</summary>
    public Task StopAsync(string environment, CancellationToken cancellationToken) =>
        WithGateAsync(environment, async () =>
        {
            var target = Target(environment);
            if (target.Managed)
            {
                await process.StopAsync(environment, target.Paths, cancellationToken);
            }

            return true;
        }, cancellationToken);

    private async Task<(EnvironmentTarget Target, HaProxyEnvironmentState State, Uri Endpoint)> OpenAsync(string environment, CancellationToken cancellationToken)
    {
        var target = Target(environment);
        var state = await HaProxyStateStore.ReadAsync(target.Paths, cancellationToken);
        if (!target.Managed)
        {
            return (target, state, target.Settings.Runtime!);
        }

        var portChanged = state.Port is not null && target.Settings.Port is { } configured && configured != state.Port;
        if (state.Port is null || portChanged)
        {
            // Everything else changes at runtime; only a new front port needs a new config, and so a restart.
            if (portChanged)
            {
                await process.StopAsync(environment, target.Paths, cancellationToken);
            }

            state = state with { Port = await HaProxyProcess.ChoosePortAsync(options.Value, environment, cancellationToken) };
            await HaProxyStateStore.WriteAsync(target.Paths, state, cancellationToken);
        }

        await process.EnsureRunningAsync(environment, target.Paths, state, cancellationToken);
        return (target, state, target.Paths.SocketUri);
    }

    private EnvironmentTarget Target(string environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var settings = options.Value;
        var perEnvironment = settings.For(environment);
        return new EnvironmentTarget(HaProxyPaths.For(settings.StateDirectory, environment), perEnvironment, perEnvironment.Runtime is null);
    }

    private static Task SaveAsync(EnvironmentTarget target, HaProxyEnvironmentState state, CancellationToken cancellationToken) =>
        HaProxyStateStore.WriteAsync(target.Paths, state, cancellationToken);

    private async Task<T> WithGateAsync<T>(string environment, Func<Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var gate = _gates.GetOrAdd(environment, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await work();
        }
        catch (LoadBalancerException ex)
        {
            Log.CommandFailed(logger, environment, ex);
            throw;
        }
        finally
        {
            gate.Release();
        }
    }

    private static string Resolve(string environment, IReadOnlyList<HaProxyStatRow> rows, string requested) =>
        rows.FirstOrDefault(r => r.ServiceName == requested)?.ServiceName
        ?? rows.FirstOrDefault(r => string.Equals(r.ServiceName, requested, StringComparison.OrdinalIgnoreCase))?.ServiceName
        ?? throw new LoadBalancerException(rows.Count == 0
            ? $"'{environment}' has no servers in HAProxy yet, so there is no '{requested}'."
            : $"'{environment}' has no server '{requested}'; its servers are {string.Join(", ", rows.Select(r => r.ServiceName))}.");

    private static Uri? FrontUrl(EnvironmentTarget target, HaProxyEnvironmentState state) =>
        target.Managed
            ? state.Port is { } port ? new Uri($"http://127.0.0.1:{port}/") : null
            : target.Settings.FrontUrl;

    private string SorryMessage(HaProxyEnvironmentState state) => state.SorryMessage ?? options.Value.SorryMessage;

    /// <summary>HAProxy's status word without its detail: "UP 1/3" is UP, a server without checks is UP.</summary>
    private static string NormalizeState(string status) =>
        status.Equals("no check", StringComparison.OrdinalIgnoreCase) ? "UP" : status.Split(' ', 2)[0].ToUpperInvariant();

    private static void CheckServerName(string server)
    {
        ArgumentNullException.ThrowIfNull(server);
        if (!ServerName().IsMatch(server))
        {
            throw new LoadBalancerException($"'{server}' cannot be an HAProxy server name: use letters, digits, '-', '_' or '.'.");
        }
    }

    private static async Task<IPEndPoint> ResolveAsync(Uri address, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(address.IdnHost, out var ip))
        {
            return new IPEndPoint(ip, address.Port);
        }

        try
        {
            var addresses = await Dns.GetHostAddressesAsync(address.IdnHost, cancellationToken);
            var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
                ?? throw new LoadBalancerException($"'{address.Host}' has no address.");
            return new IPEndPoint(chosen, address.Port);
        }
        catch (SocketException ex)
        {
            throw new LoadBalancerException($"'{address.Host}' could not be resolved: {ex.Message}", ex);
        }
    }

    private static string FormatAddress(IPEndPoint endPoint) =>
        endPoint.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endPoint.Address}]:{endPoint.Port}" : $"{endPoint.Address}:{endPoint.Port}";

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}\z")]
    private static partial Regex ServerName();

    private sealed record EnvironmentTarget(HaProxyPaths Paths, HaProxyEnvironmentOptions Settings, bool Managed);
}
