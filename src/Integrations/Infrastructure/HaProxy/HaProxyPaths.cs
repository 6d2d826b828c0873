using System.Text.RegularExpressions;

namespace ChatOps.Integrations.Infrastructure.HaProxy;

/// <summary>The files of one environment's local haproxy, all in its own folder.</summary>
internal sealed partial record HaProxyPaths(string Directory)
{
    /// <summary>Unix socket paths are limited to 108 bytes by the kernel, the terminator included.</summary>
    private const int MaxSocketPath = 107;

    public string Config => Path.Combine(Directory, "haproxy.cfg");

    public string PidFile => Path.Combine(Directory, "haproxy.pid");

    public string Socket => Path.Combine(Directory, "admin.sock");

    public string SorryMap => Path.Combine(Directory, "sorry.map");

    public string State => Path.Combine(Directory, "state.json");

    public Uri SocketUri => new UriBuilder { Scheme = "unix", Host = "", Path = Socket }.Uri;

    /// <summary>
    /// The folder for <paramref name="environment"/> under <paramref name="stateDirectory"/>. The name
    /// becomes a path and part of a config file, so only plain names are accepted.
    /// </summary>
    public static HaProxyPaths For(string stateDirectory, string environment)
    {
        if (!EnvironmentName().IsMatch(environment))
        {
            throw new LoadBalancerException($"Environment name '{environment}' cannot be used for HAProxy: use letters, digits, '-', '_' or '.', starting with a letter or digit.");
        }

        var paths = new HaProxyPaths(Path.Combine(Path.GetFullPath(stateDirectory), environment));
        if (paths.Socket.Length > MaxSocketPath || paths.Directory.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '\\' or '#'))
        {
            throw new LoadBalancerException($"HAProxy state directory '{paths.Directory}' is too long for a unix socket or contains spaces or quotes: set HaProxy:StateDirectory to a short plain path.");
        }

        return paths;
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}\z")]
    private static partial Regex EnvironmentName();
}
