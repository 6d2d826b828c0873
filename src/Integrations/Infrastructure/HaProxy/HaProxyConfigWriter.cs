using System.Globalization;
using System.Text;

namespace ChatOps.Integrations.Infrastructure.HaProxy;

/// <summary>
/// Generates the config of a local environment's haproxy: a front on a loopback port, one backend
/// holding the nodes, an admin stats socket for the runtime API, and a sorry page.
/// </summary>
/// <remarks>
/// Servers are named after their nodes and are added and removed at runtime with <c>add server</c> /
/// <c>del server</c> (dynamic servers, no longer experimental since HAProxy 2.5; checked on 2.6).
/// That was chosen over pre-declared <c>server-template</c> slots, whose generated names (web1..webN)
/// would not match node names, and over a reload per change, which drops runtime weights and states.
/// The config is regenerated from our records on every start, so nothing set at runtime is lost.
/// The sorry page is a 503 served when no server is usable; its HTML comes from a map so that the
/// message can change through the runtime API (<c>set map</c>) without a reload.
/// </remarks>
internal static class HaProxyConfigWriter
{
    public const string BackendName = "nodes";

    public static string Write(string environment, int port, HaProxyPaths paths, HaProxyEnvironmentState state, TimeSpan checkInterval)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(state);
        var inter = ((int)checkInterval.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        var config = new StringBuilder();
        config.Append(CultureInfo.InvariantCulture, $"""
            # Generated for environment '{environment}'. Rewritten on every start from state.json:
            # change the environment's settings or use the runtime API, not this file.
            global
                pidfile {paths.PidFile}
                stats socket {paths.Socket} mode 600 level admin
                stats timeout 30s

            defaults
                mode http
                option dontlognull
                timeout connect 2s
                timeout client 30s
                timeout server 30s
                timeout http-request 10s
                # No idle server connections: a node being removed must not be held by a pooled connection.
                http-reuse never

            frontend front
                bind 127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}
                default_backend {BackendName}

            backend {BackendName}
                balance roundrobin
                http-request return status 503 content-type "text/html; charset=utf-8" lf-string "%[str({HaProxySorryPage.MapKey}),map({paths.SorryMap})]" if {"{"} nbsrv({BackendName}) eq 0 {"}"}

            """);
        foreach (var server in state.Servers)
        {
            config.Append(CultureInfo.InvariantCulture, $"    server {server.Name} {server.Address} weight {server.Weight} check inter {inter}");
            config.Append(state.Sorry ? " disabled\n" : "\n");
        }

        return config.ToString();
    }

    /// <summary>The map file the sorry page is read from: one <c>page</c> entry holding the whole page.</summary>
    public static string WriteSorryMap(string message) => $"{HaProxySorryPage.MapKey} {HaProxySorryPage.Render(message)}\n";
}
