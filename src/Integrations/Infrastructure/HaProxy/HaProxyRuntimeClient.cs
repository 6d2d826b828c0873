using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;

namespace ChatOps.Integrations.Infrastructure.HaProxy;

/// <summary>
/// Talks to HAProxy's runtime API (the stats socket with <c>level admin</c>) over a unix socket
/// (<c>unix:///path</c>) or TCP (<c>tcp://host:port</c>): one connection per command, which HAProxy
/// answers and then closes. Every failure is a <see cref="LoadBalancerException"/> saying what to check.
/// </summary>
internal sealed class HaProxyRuntimeClient(IOptions<HaProxyOptions> options, TimeProvider timeProvider)
{
    /// <summary>Sends one command (or a payload command ending in a blank line) and returns the raw reply.</summary>
    public async Task<string> SendAsync(Uri endpoint, string command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentException.ThrowIfNullOrEmpty(command);
        using var deadline = new CancellationTokenSource(options.Value.CommandTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            using var socket = await ConnectAsync(endpoint, linked.Token);
            var bytes = Encoding.UTF8.GetBytes(command.EndsWith('\n') ? command : command + "\n");
            await socket.SendAsync(bytes, SocketFlags.None, linked.Token);
            socket.Shutdown(SocketShutdown.Send);

            using var reply = new MemoryStream();
            var buffer = new byte[8192];
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, linked.Token)) > 0)
            {
                reply.Write(buffer, 0, read);
            }

            return Encoding.UTF8.GetString(reply.GetBuffer(), 0, (int)reply.Length);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new LoadBalancerException($"HAProxy's runtime API at {endpoint} did not answer '{Verb(command)}' within {options.Value.CommandTimeout.TotalSeconds:0.#} s.");
        }
        catch (SocketException ex)
        {
            throw new LoadBalancerException($"HAProxy's runtime API at {endpoint} cannot be reached ({ex.SocketErrorCode}): is HAProxy running, and does its config have a 'stats socket … level admin' there?", ex);
        }
    }

    /// <summary><c>show stat</c> for one backend's servers, parsed.</summary>
    public async Task<IReadOnlyList<HaProxyStatRow>> ShowServersAsync(Uri endpoint, string backend, CancellationToken cancellationToken)
    {
        var reply = await SendAsync(endpoint, $"show stat {Name(backend)} 4 -1", cancellationToken);
        return [.. HaProxyStatParser.Parse(reply).Where(r => r.Type == HaProxyStatType.Server && r.ProxyName == backend)];
    }

    public Task SetWeightAsync(Uri endpoint, string backend, string server, int weight, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(weight);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(weight, 256);
        return ExpectAsync(endpoint, $"set weight {Name(backend)}/{Name(server)} {weight.ToString(CultureInfo.InvariantCulture)}", cancellationToken);
    }

    /// <summary>Sets a server's administrative state: <c>ready</c>, <c>drain</c> or <c>maint</c>.</summary>
    public Task SetStateAsync(Uri endpoint, string backend, string server, string state, CancellationToken cancellationToken)
    {
        if (state is not ("ready" or "drain" or "maint"))
        {
            throw new ArgumentOutOfRangeException(nameof(state), state, "Expected ready, drain or maint.");
        }

        return ExpectAsync(endpoint, $"set server {Name(backend)}/{Name(server)} state {state}", cancellationToken);
    }

    /// <summary>
    /// Forces a server's operational health (<c>up</c> or <c>down</c>): a server leaving maintenance
    /// otherwise waits for its health checks to rise, refusing traffic meanwhile.
    /// </summary>
    public Task SetHealthAsync(Uri endpoint, string backend, string server, string health, CancellationToken cancellationToken)
    {
        if (health is not ("up" or "down"))
        {
            throw new ArgumentOutOfRangeException(nameof(health), health, "Expected up or down.");
        }

        return ExpectAsync(endpoint, $"set server {Name(backend)}/{Name(server)} health {health}", cancellationToken);
    }

    public Task SetAddressAsync(Uri endpoint, string backend, string server, IPAddress address, int port, CancellationToken cancellationToken) =>
        ExpectAsync(endpoint, $"set server {Name(backend)}/{Name(server)} addr {address} port {port.ToString(CultureInfo.InvariantCulture)}", cancellationToken, "IP changed", "port changed", "no need to change");

    /// <summary>
    /// Adds a dynamic server. HAProxy registers it in maintenance with health checks off, so callers
    /// enable health and then, unless the sorry page is on, the server itself.
    /// </summary>
    public async Task AddServerAsync(Uri endpoint, string backend, string server, IPEndPoint address, int weight, TimeSpan checkInterval, CancellationToken cancellationToken)
    {
        var host = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address.Address}]" : address.Address.ToString();
        var inter = ((int)checkInterval.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        await ExpectAsync(endpoint, $"add server {Name(backend)}/{Name(server)} {host}:{address.Port.ToString(CultureInfo.InvariantCulture)} weight {weight.ToString(CultureInfo.InvariantCulture)} check inter {inter}", cancellationToken, "New server registered");
        await ExpectAsync(endpoint, $"enable health {Name(backend)}/{Name(server)}", cancellationToken);
    }

    /// <summary>
    /// Removes a dynamic server: HAProxy deletes only a server in maintenance with no streams left,
    /// so it is put in maintenance and its sessions are shut first.
    /// </summary>
    public async Task DeleteServerAsync(Uri endpoint, string backend, string server, CancellationToken cancellationToken)
    {
        await SetStateAsync(endpoint, backend, server, "maint", cancellationToken);
        await ExpectAsync(endpoint, $"shutdown sessions server {Name(backend)}/{Name(server)}", cancellationToken);
        await ExpectAsync(endpoint, $"del server {Name(backend)}/{Name(server)}", cancellationToken, "Server deleted");
    }

    /// <summary>
    /// Replaces one key of a map atomically (prepare, add with a payload, commit), so a value with
    /// spaces, quotes or ';' arrives whole: the CLI would otherwise split it into words.
    /// </summary>
    public async Task SetMapValueAsync(Uri endpoint, string mapPath, string key, string value, CancellationToken cancellationToken)
    {
        if (value.Contains('\n') || value.Contains('\r'))
        {
            throw new ArgumentException("A map value is one line.", nameof(value));
        }

        var map = Name(mapPath);
        var prepared = await SendAsync(endpoint, $"prepare map {map}", cancellationToken);
        var version = prepared.Split(':').LastOrDefault()?.Trim();
        if (!prepared.StartsWith("New version created", StringComparison.Ordinal) || !int.TryParse(version, out _))
        {
            throw new LoadBalancerException($"HAProxy refused 'prepare map {map}': {HaProxyStatParser.FirstLine(prepared)}");
        }

        // A payload ends with an empty line; without it HAProxy drops the entry and the commit empties the map.
        await ExpectAsync(endpoint, $"add map @{version} {map} <<\n{Name(key)} {value}\n\n", cancellationToken);
        await ExpectAsync(endpoint, $"commit map @{version} {map}", cancellationToken);
    }

    /// <summary>Sends a command whose success reply is empty or starts with one of <paramref name="accepted"/>.</summary>
    private async Task ExpectAsync(Uri endpoint, string command, CancellationToken cancellationToken, params string[] accepted)
    {
        var reply = (await SendAsync(endpoint, command, cancellationToken)).Trim();
        if (reply.Length > 0 && !accepted.Any(a => reply.StartsWith(a, StringComparison.OrdinalIgnoreCase)))
        {
            throw new LoadBalancerException($"HAProxy refused '{Verb(command)}': {HaProxyStatParser.FirstLine(reply)}");
        }
    }

    private static async Task<Socket> ConnectAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        Socket socket;
        EndPoint target;
        if (endpoint.Scheme == "unix")
        {
            socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            target = new UnixDomainSocketEndPoint(endpoint.LocalPath);
        }
        else if (endpoint.Scheme == "tcp")
        {
            socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            target = new DnsEndPoint(endpoint.Host, endpoint.Port);
        }
        else
        {
            throw new LoadBalancerException($"HAProxy runtime address '{endpoint}' must be unix:///path or tcp://host:port.");
        }

        try
        {
            await socket.ConnectAsync(target, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Names go into a space-separated command line where ';' separates commands: anything that could
    /// split or chain a command is refused rather than escaped.
    /// </summary>
    private static string Name(string value)
    {
        if (string.IsNullOrEmpty(value) || value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is ';' or '\\' or '#' or '"' or '\''))
        {
            throw new LoadBalancerException($"'{value}' cannot be used in an HAProxy command: names may not contain spaces, quotes, '#', '\\' or ';'.");
        }

        return value;
    }

    private static string Verb(string command) => command.Split('\n', 2)[0];
}
